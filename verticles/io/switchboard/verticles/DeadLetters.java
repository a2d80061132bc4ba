package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Sends dead letters to the DLQ writer. The returned future completes once the line is durable, so a
 * caller can acknowledge its source only after that.
 */
public final class DeadLetters {

  // Node-local: each node writes the dead letters of its own stages.
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(30_000).setLocalOnly(true);

  private DeadLetters() {
  }

  public static Future<Void> send(Vertx vertx, DeadLetter letter) {
    return vertx.eventBus().request(Addresses.DEAD_LETTER, letter, SEND).mapEmpty();
  }

  /** A dead letter for an event that failed at {@code stage} before dispatch. */
  public static DeadLetter of(PipelineEvent event, DeadLetter.Stage stage, DeadLetter.Reason reason, String error) {
    long now = System.currentTimeMillis();
    return new DeadLetter(event.ticket(), stage, reason, error, null, event.eventId(), event.conversationId(),
        1, now, now, now, event.payload());
  }

  /** A dead letter for input that never became an event (unparseable, unrecognised, invalid). */
  public static DeadLetter ofInput(Ticket ticket, DeadLetter.Stage stage, DeadLetter.Reason reason, String error,
                                   String eventId, String conversationId, Buffer payload) {
    long now = System.currentTimeMillis();
    return new DeadLetter(ticket, stage, reason, error, null, eventId, conversationId, 1, now, now, now, payload);
  }
}
