package io.switchboard.dryrun;

/**
 * The synthetic clock of a dry run. A capture records what arrived, not when, so line {@code n} (1-based) is taken
 * to arrive at {@code startMillis + (n - 1) × gapMillis}: every item of one line at once, as one {@code POST /events}
 * body. Dedup's window, reorder's holds and learned lateness bounds, and the state stage's retention all run on this
 * clock; nothing waits for real time.
 *
 * @param startMillis epoch ms of the first line (what {@code ingestedAt} and {@code processedAt} report)
 * @param gapMillis   between consecutive lines; the default 1 ms models a feed of 1,000 events/s
 */
public record Arrivals(long startMillis, long gapMillis) {

  public static final long DEFAULT_GAP_MILLIS = 1;

  public Arrivals {
    if (gapMillis < 0) {
      throw new IllegalArgumentException("gapMillis must not be negative, got " + gapMillis);
    }
  }

  /** When line {@code line} (1-based) arrives. */
  public long of(long line) {
    return startMillis + (line - 1) * gapMillis;
  }
}
