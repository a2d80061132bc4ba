package io.switchboard.dispatch;

import java.util.Objects;

/**
 * One finished delivery attempt, as {@link RetryPolicy#decide} needs it.
 *
 * @param number          1-based number of the attempt that just finished
 * @param admittedAtMillis when Switchboard accepted the event; the age limit counts from here, not from the
 *                        first send, because time spent queued or parked is time the event is going stale
 * @param nowMillis       when the attempt finished
 * @param outcome         what it produced
 */
public record Attempt(int number, long admittedAtMillis, long nowMillis, Outcome outcome) {

  public Attempt {
    if (number < 1) {
      throw new IllegalArgumentException("attempt number is 1-based, got " + number);
    }
    Objects.requireNonNull(outcome, "outcome");
  }

  /** Milliseconds since admission; never negative, since cluster nodes' clocks may disagree slightly. */
  public long ageMillis() {
    return Math.max(0, nowMillis - admittedAtMillis);
  }
}
