package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Sends dead letters to the DLQ writer, which writes them and then settles their events with their sources: senders
 * never settle a dead letter themselves. The returned future succeeds once the writer is responsible for the letter:
 * written durably, or (for a letter whose source waits on it) kept and retried until written. It fails when the
 * letter is neither, e.g. untracked input while the DLQ cannot be written: the caller must answer its sender so.
 */
public final class DeadLetters {

  // Node-local: each node writes the dead letters of its own stages.
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(30_000).setLocalOnly(true);

  private DeadLetters() {
  }

  public static Future<Void> send(Vertx vertx, DeadLetter letter) {
    return vertx.eventBus().request(Addresses.DEAD_LETTER, letter, SEND).mapEmpty();
  }

  /** A dead letter for an event that failed at {@code stage} before dispatch: writing it settles the event's one part. */
  public static DeadLetter of(PipelineEvent event, DeadLetter.Stage stage, DeadLetter.Reason reason, String error) {
    long now = System.currentTimeMillis();
    return new DeadLetter(event.ticket(), stage, reason, error, null, event.eventId(), event.conversationId(),
        1, now, now, now, event.payload(), 1);
  }
}
