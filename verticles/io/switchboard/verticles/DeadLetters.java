package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends dead letters to the DLQ writer, which writes them and then settles their events with their sources: senders
 * never settle a dead letter themselves. The returned future succeeds once the writer is responsible for the letter:
 * written durably, or (for a letter whose source waits on it) kept and retried until written. It fails when the
 * letter is neither, e.g. untracked input while the DLQ cannot be written: the caller must answer its sender so.
 */
public final class DeadLetters {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final long RETRY_INITIAL_MILLIS = 100;
  private static final long RETRY_MAX_MILLIS = 5_000;
  // Node-local: each node writes the dead letters of its own stages.
  private static final DeliveryOptions SEND = new DeliveryOptions().setSendTimeout(30_000).setLocalOnly(true);

  private DeadLetters() {
  }

  public static Future<Void> send(Vertx vertx, DeadLetter letter) {
    return vertx.eventBus().request(Addresses.DEAD_LETTER, letter, SEND).mapEmpty();
  }

  /**
   * Like {@link #send}, for a letter that settles nothing and whose sender cannot answer a refusal upstream (a
   * redriven parked delivery's): offers it again, backing off from 100 ms to 5 s, until the writer took it, and only
   * then completes. Retries follow any failure, a timeout included, so the DLQ may get it twice but never lose it:
   * harmless for a letter that settles nothing, and the reason a letter that settles parts must not come here.
   */
  public static Future<Void> sendUntilTaken(Vertx vertx, DeadLetter letter) {
    Promise<Void> taken = Promise.promise();
    offer(vertx, letter, RETRY_INITIAL_MILLIS, taken);
    return taken.future();
  }

  private static void offer(Vertx vertx, DeadLetter letter, long wait, Promise<Void> taken) {
    send(vertx, letter).onComplete(ar -> {
      if (ar.succeeded()) {
        taken.complete();
        return;
      }
      LOG.debug("dead letter for event [{}] not taken ({}); offered again in [{}] ms", letter.eventId(),
          ar.cause().toString(), wait);
      // A timer of the sender's context: undeploying the sender cancels it, and its park log redrives the event.
      vertx.setTimer(wait, id -> offer(vertx, letter, Math.min(wait * 2, RETRY_MAX_MILLIS), taken));
    });
  }

  /** A dead letter for an event that failed at {@code stage} before dispatch: writing it settles the event's one part. */
  public static DeadLetter of(PipelineEvent event, DeadLetter.Stage stage, DeadLetter.Reason reason, String error) {
    long now = System.currentTimeMillis();
    return new DeadLetter(event.ticket(), stage, reason, error, null, event.eventId(), event.conversationId(),
        1, now, now, now, event.payload(), 1);
  }
}
