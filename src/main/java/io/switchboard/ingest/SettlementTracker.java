package io.switchboard.ingest;

import io.switchboard.message.Settlement;

import java.util.HashMap;
import java.util.Map;

/**
 * Counts the events one source admitted and has not yet seen settled. An event settles when all of its
 * parts have reported (see {@link Settlement}). Single-threaded: owned by one verticle's event loop.
 */
public final class SettlementTracker {

  /** Reports still missing per admitted event; -1 means "admitted, no report yet". */
  private final Map<Long, Integer> pending = new HashMap<>();
  private long nextSeq = 1;

  /** Admits a new event and returns its sequence number. */
  public long admit() {
    long seq = nextSeq++;
    pending.put(seq, -1);
    return seq;
  }

  /**
   * Records one report; returns {@code true} when it settled the event. Reports for unknown sequence
   * numbers (already settled, or from before a restart) are ignored.
   */
  public boolean report(long seq, int parts) {
    Integer missing = pending.get(seq);
    if (missing == null) {
      return false;
    }
    int left = (missing < 0 ? Math.max(parts, 1) : missing) - 1;
    if (left <= 0) {
      pending.remove(seq);
      return true;
    }
    pending.put(seq, left);
    return false;
  }

  /** Settles an event at once (e.g. found to be a duplicate). */
  public void settle(long seq) {
    pending.remove(seq);
  }

  public int inFlight() {
    return pending.size();
  }
}
