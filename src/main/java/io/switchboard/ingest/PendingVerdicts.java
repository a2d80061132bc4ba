package io.switchboard.ingest;

import io.switchboard.message.DedupVerdict;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dedup verdicts a source is waiting for, by the event's sequence number, each with a deadline. Sequence
 * numbers grow with time, so the oldest wait is always first and {@link #expire} stops at the first one still in
 * time: one sweep timer for all of them instead of one timer per event. Single-threaded: the source's event loop.
 */
public final class PendingVerdicts {

  private record Waiting(Promise<DedupVerdict> promise, long deadline) {
  }

  private final long timeoutMillis;
  private final Map<Long, Waiting> waiting = new LinkedHashMap<>();

  public PendingVerdicts(long timeoutMillis) {
    if (timeoutMillis <= 0) {
      throw new IllegalArgumentException("timeoutMillis must be positive, got " + timeoutMillis);
    }
    this.timeoutMillis = timeoutMillis;
  }

  /** Starts waiting for the verdict on {@code seq}; call before the event is sent. */
  public Future<DedupVerdict> await(long seq, long nowMillis) {
    Promise<DedupVerdict> promise = Promise.promise();
    if (waiting.putIfAbsent(seq, new Waiting(promise, nowMillis + timeoutMillis)) != null) {
      throw new IllegalStateException("already waiting for the verdict on " + seq);
    }
    return promise.future();
  }

  /** A verdict arrived; one that is no longer awaited (it timed out) is ignored. */
  public void answer(long seq, DedupVerdict verdict) {
    Waiting w = waiting.remove(seq);
    if (w != null) {
      w.promise().complete(verdict);
    }
  }

  /** Fails every wait whose deadline has passed; returns how many. */
  public int expire(long nowMillis) {
    int expired = 0;
    Iterator<Waiting> it = waiting.values().iterator();
    while (it.hasNext()) {
      Waiting w = it.next();
      if (w.deadline() > nowMillis) {
        break;
      }
      it.remove();
      w.promise().fail("dedup did not answer within " + timeoutMillis + " ms");
      expired++;
    }
    return expired;
  }

  public int size() {
    return waiting.size();
  }
}
