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
 */
public record Delivery(ProcessedEvent event, Buffer body, String idempotencyKey, String matchedPattern, int attempt) {

  public Delivery {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
  }
}
