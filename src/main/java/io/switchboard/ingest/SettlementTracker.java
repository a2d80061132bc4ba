package io.switchboard.ingest;

import io.switchboard.message.Settlement;

/**
 * The events one source admitted, in admission order, and which of them have settled. Besides the count in
 * flight it knows the <em>contiguous settled position</em>: the highest sequence number up to which every event
 * has settled. That position is what a source may safely acknowledge upstream (a journal truncates to it, a
 * Kafka consumer commits it, a poller checkpoints it), however the events' journeys finish out of order.
 *
 * <p>Sequence numbers start at 1 and are handed out by {@link #admit()}. The tracker keeps one small counter per
 * sequence number between the lowest unsettled one and the newest, in a ring that grows when needed; no object
 * per event. An event settles when all of its parts have reported (see {@link Settlement}).
 * Single-threaded: owned by one verticle's event loop.
 */
public final class SettlementTracker {

  /** Admitted, no report yet: the first report says how many parts there are. */
  private static final short UNREPORTED = -1;
  private static final short SETTLED = 0;

  /** Reports still missing, per sequence number from {@link #lowestUnsettled}; a ring of capacity 2^k. */
  private short[] missing = new short[1024];
  /** Ring index of {@link #lowestUnsettled}. */
  private int head;
  /** Lowest sequence number not yet settled ({@code nextSeq} when nothing is in flight). */
  private long lowestUnsettled;
  private long nextSeq;
  private int inFlight;

  /** A tracker whose first event gets sequence number 1. */
  public SettlementTracker() {
    this(1);
  }

  /**
   * A tracker whose first event gets {@code firstSeq}: a source with a journal continues the numbering of the
   * records it replays, so that sequence numbers and journal offsets stay in step across restarts.
   */
  public SettlementTracker(long firstSeq) {
    if (firstSeq < 1) {
      throw new IllegalArgumentException("firstSeq must be at least 1, got " + firstSeq);
    }
    this.lowestUnsettled = firstSeq;
    this.nextSeq = firstSeq;
  }

  /** Admits a new event and returns its sequence number. */
  public long admit() {
    long seq = nextSeq;
    if (seq - lowestUnsettled >= missing.length) {
      grow();
    }
    missing[slot(seq)] = UNREPORTED;
    nextSeq++;
    inFlight++;
    return seq;
  }

  /**
   * Records one report of {@code parts}; returns {@code true} when it settled the event. Reports for sequence
   * numbers that are already settled or were never admitted (e.g. from before a restart) are ignored.
   */
  public boolean report(long seq, int parts) {
    if (!pending(seq)) {
      return false;
    }
    int index = slot(seq);
    int left = (missing[index] == UNREPORTED ? Math.max(parts, 1) : missing[index]) - 1;
    if (left > 0) {
      missing[index] = (short) Math.min(left, Short.MAX_VALUE);
      return false;
    }
    markSettled(index);
    return true;
  }

  /** Settles an event at once, whatever its parts (e.g. found to be a duplicate). */
  public void settle(long seq) {
    if (pending(seq)) {
      markSettled(slot(seq));
    }
  }

  public int inFlight() {
    return inFlight;
  }

  /** Every event up to and including this sequence number has settled ({@code firstSeq - 1} when none has). */
  public long settledThrough() {
    return lowestUnsettled - 1;
  }

  /**
   * The events settled beyond the contiguous position, as inclusive ranges {@code [from0, to0, from1, to1, ...]}
   * in ascending order. With {@link #settledThrough()} this is everything the tracker knows is finished: a journal
   * replay after a crash can skip these too.
   */
  public long[] settledRanges() {
    long[] ranges = new long[8];
    int n = 0;
    long runStart = -1;
    for (long seq = lowestUnsettled; seq < nextSeq; seq++) {
      boolean settled = missing[slot(seq)] == SETTLED;
      if (settled && runStart < 0) {
        runStart = seq;
      } else if (!settled && runStart >= 0) {
        if (n + 2 > ranges.length) {
          ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
        }
        ranges[n++] = runStart;
        ranges[n++] = seq - 1;
        runStart = -1;
      }
    }
    if (runStart >= 0) {
      if (n + 2 > ranges.length) {
        ranges = java.util.Arrays.copyOf(ranges, ranges.length * 2);
      }
      ranges[n++] = runStart;
      ranges[n++] = nextSeq - 1;
    }
    return java.util.Arrays.copyOf(ranges, n);
  }

  /**
   * Whether {@code seq} has settled: below the contiguous position, or settled beyond it. A number never handed out
   * is not settled; one from before {@code firstSeq} counts as settled (a restart forgot it).
   */
  public boolean settled(long seq) {
    if (seq < lowestUnsettled) {
      return true;
    }
    return seq < nextSeq && missing[slot(seq)] == SETTLED;
  }

  /** The newest sequence number handed out (0 before the first). */
  public long lastAdmitted() {
    return nextSeq - 1;
  }

  private boolean pending(long seq) {
    return seq >= lowestUnsettled && seq < nextSeq && missing[slot(seq)] != SETTLED;
  }

  private void markSettled(int index) {
    missing[index] = SETTLED;
    inFlight--;
    // Advance the contiguous position over everything settled behind the lowest unsettled event.
    while (lowestUnsettled < nextSeq && missing[head] == SETTLED) {
      lowestUnsettled++;
      head = (head + 1) & (missing.length - 1);
    }
  }

  private int slot(long seq) {
    return (int) ((head + (seq - lowestUnsettled)) & (missing.length - 1));
  }

  /** Doubles the ring, unrolling it so that the lowest unsettled event is at index 0. */
  private void grow() {
    short[] bigger = new short[missing.length * 2];
    int span = (int) (nextSeq - lowestUnsettled);
    for (int i = 0; i < span; i++) {
      bigger[i] = missing[(head + i) & (missing.length - 1)];
    }
    missing = bigger;
    head = 0;
  }
}
