package io.switchboard.dispatch;

import io.switchboard.message.ProcessedEvent;
import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * One event on its way to one target: the body already shaped for that target (original envelope or
 * enriched wrapper), its idempotency key, and the attempt number.
 *
 * @param idempotencyKey stable across retries and restarts: derived from the content fingerprint
 * @param matchedPattern name of the filter pattern that selected this event for the target
 * @param parkOffset     position in the target's park log when redriven from it, else {@link #NOT_PARKED}
 * @param orderingKey    the key whose order the target must keep (see {@link OrderingKey})
 */
public record Delivery(ProcessedEvent event, Buffer body, String idempotencyKey, String matchedPattern, int attempt,
                       long parkOffset, String orderingKey) {

  public static final long NOT_PARKED = -1;

  public Delivery {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    if (orderingKey == null) {
      orderingKey = event.event().conversationId();
    }
  }

  /** A delivery ordered by its conversation. */
  public Delivery(ProcessedEvent event, Buffer body, String idempotencyKey, String matchedPattern, int attempt) {
    this(event, body, idempotencyKey, matchedPattern, attempt, NOT_PARKED, null);
  }

  /** The same delivery, redriven from park-log position {@code offset}. */
  public Delivery parkedAt(long offset) {
    return new Delivery(event, body, idempotencyKey, matchedPattern, 0, offset, orderingKey);
  }

  /** The same delivery ordered by {@code key}. */
  public Delivery orderedBy(String key) {
    return new Delivery(event, body, idempotencyKey, matchedPattern, attempt, parkOffset, key);
  }

  public boolean redriven() {
    return parkOffset != NOT_PARKED;
  }

  /** The same delivery as attempt {@code n}. */
  public Delivery attempt(int n) {
    return new Delivery(event, body, idempotencyKey, matchedPattern, n, parkOffset, orderingKey);
  }
}
