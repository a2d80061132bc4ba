package io.switchboard.dlq;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Dead letters whose write failed and that must not be dropped, kept in arrival order until a retry writes them,
 * and how long to wait before the next retry: doubling from an initial wait up to a cap over the failed retries of
 * the current failure streak. A streak starts with the first letter kept and ends when a retry leaves none behind.
 *
 * <p>Memory: one reference per kept letter. What bounds their number is what the caller keeps: the DLQ writer keeps
 * only letters whose sources wait for them, so the sources' in-flight bounds bound the backlog too.
 * Single-threaded (owned by the DLQ writer's event loop) and clock-free: the caller schedules the retries.
 *
 * @param <T> the kept letter
 */
public final class RetryBacklog<T> {

  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final long initialWaitMillis;
  private final long maxWaitMillis;
  private int retrying;
  private int failedRetries;

  public RetryBacklog(long initialWaitMillis, long maxWaitMillis) {
    if (initialWaitMillis < 1 || maxWaitMillis < initialWaitMillis) {
      throw new IllegalArgumentException("need 1 <= initial <= max wait, got " + initialWaitMillis + ", "
          + maxWaitMillis);
    }
    this.initialWaitMillis = initialWaitMillis;
    this.maxWaitMillis = maxWaitMillis;
  }

  /** Whether letters are waiting or being retried: new letters should then wait behind them. */
  public boolean inStreak() {
    return !waiting.isEmpty() || retrying > 0;
  }

  /** Keeps a letter for the next retry; {@code true} if it starts a failure streak (the caller arms the retry). */
  public boolean keep(T letter) {
    boolean starts = !inStreak();
    waiting.addLast(letter);
    return starts;
  }

  /** Every waiting letter, oldest first, for one retry; report how it went with {@link #retried}. */
  public List<T> takeForRetry() {
    List<T> letters = new ArrayList<>(waiting);
    waiting.clear();
    retrying = letters.size();
    return letters;
  }

  /**
   * The retry of {@link #takeForRetry()} ended: {@code stillFailing} (in the order taken) go back in front of the
   * letters kept meanwhile.
   *
   * @return {@code true} if the streak ended: nothing is waiting any more
   */
  public boolean retried(List<T> stillFailing) {
    retrying = 0;
    for (int i = stillFailing.size() - 1; i >= 0; i--) {
      waiting.addFirst(stillFailing.get(i));
    }
    // Letters kept while a retry succeeded are retried soon: the DLQ works again.
    failedRetries = stillFailing.isEmpty() ? 0 : failedRetries + 1;
    return waiting.isEmpty();
  }

  /** How long to wait before the next retry. */
  public long nextWaitMillis() {
    long wait = initialWaitMillis;
    for (int i = 0; i < failedRetries && wait < maxWaitMillis; i++) {
      wait *= 2;
    }
    return Math.min(wait, maxWaitMillis);
  }

  /** Letters kept and not yet written, being retried included. */
  public int size() {
    return waiting.size() + retrying;
  }
}
