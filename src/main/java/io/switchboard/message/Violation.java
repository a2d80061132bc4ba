package io.switchboard.message;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A lifecycle violation delivered instead of dead-lettered ({@code state.invalidTransitions: "flag"}): the event
 * did not change its conversation's state, and every target is told why.
 *
 * @param reason {@link DeadLetter.Reason#INVALID_TRANSITION} or {@link DeadLetter.Reason#STAGE_CAP_EXCEEDED}, the
 *               code it would have been dead-lettered with
 * @param error  the same human-readable detail a dead letter would carry
 */
public record Violation(DeadLetter.Reason reason, String error) {

  public Violation {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(error, "error");
  }

  /** {@code {"reason": "invalid_transition", "error": "…"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("reason", reason.code()).put("error", error);
  }
}
