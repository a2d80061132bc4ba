package io.switchboard.reorder;

/**
 * How a {@link LearnedLatenessBound} turns observed disorder into a bound, validated at construction.
 *
 * @param initialMillis   where a fresh source's bound starts: a fresh node does not release on guesswork
 * @param minMillis       the floor ({@code reorder.minHoldMs}): also the bound when no disorder is seen
 * @param maxMillis       the cap ({@code reorder.windowMs})
 * @param quantile        which quantile of the out-of-order delays to cover, in (0, 1]
 * @param safetyFactor    the quantile is multiplied by this (at least 1) before clamping
 * @param horizonMillis   how far back delays are remembered: a burst of disorder stops counting after this
 * @param learnAfterEvents arrivals per halving of the initial bound: the bound is at least
 *                        {@code initialMillis / 2^(arrivals / learnAfterEvents)}; 0: learned from the start
 */
public record LearningSettings(long initialMillis, long minMillis, long maxMillis, double quantile,
                               double safetyFactor, long horizonMillis, long learnAfterEvents) {

  public LearningSettings {
    if (minMillis < 0 || maxMillis < minMillis) {
      throw new IllegalArgumentException("need 0 <= minMillis <= maxMillis, got " + minMillis + ", " + maxMillis);
    }
    if (initialMillis < minMillis || initialMillis > maxMillis) {
      throw new IllegalArgumentException("initialMillis " + initialMillis + " must lie between minMillis "
          + minMillis + " and maxMillis " + maxMillis);
    }
    if (!(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], got " + quantile);
    }
    if (!(safetyFactor >= 1)) {
      throw new IllegalArgumentException("safetyFactor must be at least 1, got " + safetyFactor);
    }
    if (horizonMillis < LearnedLatenessBound.SLICES) {
      throw new IllegalArgumentException("horizonMillis must be at least " + LearnedLatenessBound.SLICES
          + ", got " + horizonMillis);
    }
    if (learnAfterEvents < 0) {
      throw new IllegalArgumentException("learnAfterEvents must not be negative, got " + learnAfterEvents);
    }
  }
}
