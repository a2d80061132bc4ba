package io.switchboard.reorder;

import java.util.Arrays;

/**
 * Counts of non-negative delays in milliseconds, in buckets exact up to 15 ms and 8 per power of two above
 * (each within 12.5 % of its values), up to about 35 minutes; larger delays count in the last bucket. A
 * quantile is answered with its bucket's upper edge, so it never understates a delay. 1.2 KB; not thread-safe.
 */
final class DelayHistogram {

  private static final int EXACT = 16;
  private static final int SUB_BUCKETS = 8;
  /** Octaves 2^4 .. 2^20 ms above the exact range. */
  private static final int OCTAVES = 17;
  static final int BUCKETS = EXACT + OCTAVES * SUB_BUCKETS;

  private final int[] counts = new int[BUCKETS];
  private long total;

  void add(long delayMillis) {
    counts[bucket(delayMillis)]++;
    total++;
  }

  /** Adds every count of {@code other} to this one. */
  void addAll(DelayHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
  }

  long total() {
    return total;
  }

  /**
   * The smallest bucket upper edge at or below which at least {@code q} of the delays lie; {@code -1} when
   * empty.
   */
  long quantile(double q) {
    if (total == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return upperEdge(i);
      }
    }
    return upperEdge(BUCKETS - 1);
  }

  static int bucket(long delayMillis) {
    long d = Math.max(0, delayMillis);
    if (d < EXACT) {
      return (int) d;
    }
    int octave = 63 - Long.numberOfLeadingZeros(d); // >= 4
    if (octave - 4 >= OCTAVES) {
      return BUCKETS - 1;
    }
    int sub = (int) (d >>> (octave - 3)) & (SUB_BUCKETS - 1);
    return EXACT + (octave - 4) * SUB_BUCKETS + sub;
  }

  /** The largest delay that falls in bucket {@code index}. */
  static long upperEdge(int index) {
    if (index < EXACT) {
      return index;
    }
    int octave = 4 + (index - EXACT) / SUB_BUCKETS;
    int sub = (index - EXACT) % SUB_BUCKETS;
    return ((long) (SUB_BUCKETS + sub + 1) << (octave - 3)) - 1;
  }
}
