package io.switchboard.verticles;

import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Vertx;

/** Tells an event's admitting source that one part of its journey ended. */
public final class Settlements {

  private Settlements() {
  }

  public static void report(Vertx vertx, Ticket ticket, int parts, Settlement.Outcome outcome) {
    if (ticket.isTracked()) {
      vertx.eventBus().send(ticket.origin(), new Settlement(ticket.seq(), parts, outcome));
    }
  }
}
