package io.switchboard.genesys;

import java.util.ArrayDeque;

/**
 * The REST request budget of one access token: at most {@code limit} requests in any {@code windowMillis} (Genesys
 * allows 300 a minute per client-credentials token), and none before a {@code Retry-After} the API gave has passed.
 * {@link #delayFor} says how long the next request must wait; {@link #take} records it. Every Genesys call of the
 * node goes through one of these, so the sources and enrichment share the budget instead of each assuming it whole.
 * Single-threaded: owned by one verticle.
 */
public final class RequestBudget {

  private final int limit;
  private final long windowMillis;
  private final ArrayDeque<Long> sent = new ArrayDeque<>();
  private long pausedUntil;

  public RequestBudget(int limit, long windowMillis) {
    if (limit < 1 || windowMillis < 1) {
      throw new IllegalArgumentException("limit and window must be positive");
    }
    this.limit = limit;
    this.windowMillis = windowMillis;
  }

  /** How long from {@code now} the next request must wait (0: it may go now). */
  public long delayFor(long now) {
    while (!sent.isEmpty() && sent.peekFirst() <= now - windowMillis) {
      sent.pollFirst();
    }
    long untilWindow = sent.size() < limit ? 0 : sent.peekFirst() + windowMillis - now;
    return Math.max(untilWindow, Math.max(0, pausedUntil - now));
  }

  /** A request goes at {@code now}; call only when {@link #delayFor} said 0. */
  public void take(long now) {
    sent.addLast(now);
  }

  /** The API answered 429 with {@code Retry-After}: nothing goes before {@code now + retryAfterMillis}. */
  public void pause(long now, long retryAfterMillis) {
    pausedUntil = Math.max(pausedUntil, now + Math.max(0, retryAfterMillis));
  }

  /** Requests sent in the current window. */
  public int used(long now) {
    delayFor(now);
    return sent.size();
  }

  public int limit() {
    return limit;
  }
}
