package io.switchboard.dispatch;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/** Records what a dispatcher asks of the world; dead letters are durable at once unless {@link #holdLetters}. */
final class RecordingEffects implements DispatchEffects {

  /** "seq:OUTCOME" per settlement report, in order. */
  final List<String> settlements = new ArrayList<>();
  final List<DeadLetter> deadLetters = new ArrayList<>();
  long wakeAt = Long.MAX_VALUE;
  /** When set, the DLQ takes no letter until the test completes its promise in {@link #held}. */
  boolean holdLetters;
  final List<Promise<Void>> held = new ArrayList<>();
  /** Targets each event goes to, as the dispatcher verticle would be told. */
  static final int PARTS = 2;

  @Override
  public int settlementParts() {
    return PARTS;
  }

  @Override
  public void settle(Ticket ticket, int parts, Settlement.Outcome outcome) {
    settlements.add(ticket.seq() + ":" + outcome);
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    deadLetters.add(letter);
    if (!holdLetters) {
      return Future.succeededFuture();
    }
    Promise<Void> taken = Promise.promise();
    held.add(taken);
    return taken.future();
  }

  @Override
  public void wakeAt(long atMillis) {
    wakeAt = atMillis;
  }
}
