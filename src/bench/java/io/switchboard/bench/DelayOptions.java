package io.switchboard.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * A tail of long delays: each original event is held back with chance {@code ratio}, by a delay drawn from
 * {@code [minMillis, maxMillis]}. The delay is real time at the sender, not event time: the lane that owns the
 * event posts it that long after its turn came, while its later events go ahead, so it reaches the server that
 * much after them (see {@link LaneSender}). Its copies are held as long, so they still follow it.
 *
 * @param ratio        chance, per original event, that it is held back
 * @param minMillis    shortest delay, real ms
 * @param maxMillis    longest delay, real ms
 * @param distribution how delays spread over the range
 */
public record DelayOptions(double ratio, long minMillis, long maxMillis, Distribution distribution) {

  /** No delays: today's traffic. */
  public static final DelayOptions NONE = new DelayOptions(0, 500, 5_000, Distribution.LOG_UNIFORM);

  /** How delays are spread over the range. */
  public enum Distribution {
    /** Every delay in the range equally likely. */
    UNIFORM,
    /** Every order of magnitude in the range equally likely: mostly short delays, a few up to the maximum. */
    LOG_UNIFORM;

    static Distribution parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--delay-dist must be uniform or log-uniform, got " + text);
      }
    }

    String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public DelayOptions {
    Objects.requireNonNull(distribution, "distribution");
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("delay ratio must be between 0 and 1, got " + ratio);
    }
    if (minMillis < 1 || maxMillis < minMillis) {
      throw new IllegalArgumentException("delay range must be 1 <= min <= max ms, got " + minMillis + "-" + maxMillis);
    }
  }

  /** {@code MIN-MAX} in ms, as {@code --delay-ms} takes it. */
  static DelayOptions withRange(double ratio, String range, Distribution distribution) {
    String[] parts = range.split("-");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--delay-ms must be MIN-MAX in ms, got " + range);
    }
    try {
      return new DelayOptions(ratio, Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()), distribution);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--delay-ms must be MIN-MAX in whole ms, got " + range);
    }
  }
}
