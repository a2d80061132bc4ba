package io.switchboard.bench;

import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The generator's only source of randomness, so that one seed fixes every id, time and defect.
 * Not thread-safe: one per generator.
 */
final class Rng {

  private final Random random;

  Rng(long seed) {
    this.random = new Random(seed);
  }

  /** A random (version 4) UUID drawn from the seed, not from {@link UUID#randomUUID()}. */
  String uuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
    return new UUID(msb, lsb).toString();
  }

  /** Uniform in {@code [lo, hi]}. */
  long between(long lo, long hi) {
    return lo + (long) (random.nextDouble() * (hi - lo + 1));
  }

  /** Exponential with the given mean, clamped to {@code [lo, hi]}: waits and talk times have long tails. */
  long exponential(long mean, long lo, long hi) {
    long value = (long) (-mean * Math.log(1 - random.nextDouble()));
    return Math.max(lo, Math.min(hi, value));
  }

  /** Uniform in {@code [0, bound)}. */
  int below(int bound) {
    return random.nextInt(bound);
  }

  /** Log-uniform in {@code [lo, hi]}, {@code lo >= 1}: each order of magnitude of the range equally likely. */
  long logUniform(long lo, long hi) {
    double value = Math.exp(Math.log(lo) + random.nextDouble() * (Math.log(hi + 1.0) - Math.log(lo)));
    return Math.max(lo, Math.min(hi, (long) value));
  }

  boolean chance(double probability) {
    return probability > 0 && random.nextDouble() < probability;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** Index chosen in proportion to the weights. */
  int weighted(int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int roll = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      roll -= weights[i];
      if (roll < 0) {
        return i;
      }
    }
    throw new IllegalStateException("weights must not all be zero");
  }

  String digits(int count) {
    StringBuilder out = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      out.append((char) ('0' + random.nextInt(10)));
    }
    return out.toString();
  }
}
