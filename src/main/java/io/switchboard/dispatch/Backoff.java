package io.switchboard.dispatch;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the wait after failed attempt {@code n} is drawn uniformly from
 * {@code [0, min(max, initial * multiplier^(n-1))]}. Full jitter rather than a fixed or half-jittered wait
 * because many events fail together when a target goes down; spreading their retries over the whole window
 * keeps them from arriving as one burst when it comes back.
 */
public final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private final double multiplier;
  private final RandomGenerator random;

  public Backoff(long initialMillis, long maxMillis, double multiplier, RandomGenerator random) {
    if (initialMillis < 1 || maxMillis < initialMillis || !(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("need 1 <= initial <= max and a finite multiplier >= 1, got "
          + initialMillis + ", " + maxMillis + ", " + multiplier);
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.multiplier = multiplier;
    this.random = Objects.requireNonNull(random, "random");
  }

  /** The upper bound of the wait after failed attempt {@code attempt} (1-based). */
  public long ceilingMillis(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
    }
    // Math.pow overflows to infinity on long outages, which the comparison turns into the cap.
    double ceiling = initialMillis * Math.pow(multiplier, attempt - 1);
    return ceiling >= maxMillis ? maxMillis : (long) ceiling;
  }

  /** A random wait in {@code [0, ceilingMillis(attempt)]}, both ends included. */
  public long delayMillis(int attempt) {
    return random.nextLong(ceilingMillis(attempt) + 1);
  }
}
