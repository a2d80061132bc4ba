package io.switchboard.dlq;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest recorded replay of one dead letter.
 *
 * @param outcome how it ended
 * @param target  the target it was replayed to, or {@code null} when not given (e.g. requeued to the pipeline)
 * @param at      when the outcome was known
 */
public record ReplayStatus(ReplayOutcome outcome, String target, Instant at) {

  public ReplayStatus {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }
}
