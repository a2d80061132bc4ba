package io.switchboard.verticles;

import io.switchboard.message.Settlement;
import io.switchboard.message.SettlementBatch;
import io.switchboard.message.Ticket;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tells an event's admitting source that one part of its journey ended. Reports made during one event-loop turn
 * are sent at the end of that turn, one {@link SettlementBatch} per source: a dispatcher that settles several
 * events per turn (every answer that arrived in one poll of the sockets) then costs the bus one message, not one
 * per event. Each verticle context has its own pending batches, touched only on that context.
 */
public final class Settlements {

  private static final String PENDING = Settlements.class.getName();

  private Settlements() {
  }

  public static void report(Vertx vertx, Ticket ticket, int parts, Settlement.Outcome outcome) {
    if (!ticket.isTracked()) {
      return;
    }
    Context context = vertx.getOrCreateContext();
    Pending pending = context.get(PENDING);
    if (pending == null) {
      pending = new Pending(vertx);
      context.put(PENDING, pending);
    }
    pending.add(context, ticket.origin(), new Settlement(ticket.seq(), parts, outcome));
  }

  /** One context's reports of the current turn, by source, in the order they were made. */
  private static final class Pending {
    private final Vertx vertx;
    private final Map<String, List<Settlement>> bySource = new LinkedHashMap<>();
    private boolean flushScheduled;

    Pending(Vertx vertx) {
      this.vertx = vertx;
    }

    void add(Context context, String origin, Settlement settlement) {
      bySource.computeIfAbsent(origin, o -> new ArrayList<>()).add(settlement);
      if (!flushScheduled) {
        flushScheduled = true;
        // Runs after the tasks already queued on this event loop: the rest of this turn's work reports first.
        context.runOnContext(v -> flush());
      }
    }

    private void flush() {
      flushScheduled = false;
      bySource.forEach((origin, settlements) -> vertx.eventBus().send(origin, new SettlementBatch(settlements)));
      bySource.clear();
    }
  }
}
