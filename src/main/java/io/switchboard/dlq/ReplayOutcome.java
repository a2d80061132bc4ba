package io.switchboard.dlq;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How one replay of a dead letter ended, as recorded in the replay journal. */
public enum ReplayOutcome {
  /** The target accepted the replayed event. */
  DELIVERED(true),
  /** The replay failed and produced a new dead letter (with its own id); this one stays unresolved. */
  DEAD_LETTERED_AGAIN(false),
  /** The event was handed back to the pipeline, which now owns it (and dead-letters it anew if it fails). */
  REQUEUED(true);

  private final boolean succeeded;

  ReplayOutcome(boolean succeeded) {
    this.succeeded = succeeded;
  }

  /** Whether this outcome takes the dead letter off the queue's depth. */
  public boolean succeeded() {
    return succeeded;
  }

  /** The wire/JSON spelling: lower snake case. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The outcome spelled {@code code}.
   *
   * @throws IllegalArgumentException naming {@code outcome} and the accepted codes
   */
  public static ReplayOutcome fromCode(String code) {
    for (ReplayOutcome outcome : values()) {
      if (outcome.code().equals(code)) {
        return outcome;
      }
    }
    throw new IllegalArgumentException("outcome must be one of "
        + Arrays.stream(values()).map(ReplayOutcome::code).collect(Collectors.joining(", ")) + ", got '" + code + "'");
  }
}
