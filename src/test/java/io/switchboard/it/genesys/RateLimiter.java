package io.switchboard.it.genesys;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The per-token request budget: {@code limit} requests per fixed window that starts at the token's first request
 * of the window. The facts give the budget (300/min per client-credentials token) and that
 * {@code inin-ratelimit-reset} is "seconds to window reset"; whether Genesys windows are fixed or sliding is
 * <b>not verified</b> — fixed is what the reset header suggests.
 *
 * <p>Confined to the emulator's context (no locks); the clock is passed in.
 */
final class RateLimiter {

  /** The outcome of counting one request, and the header values to send with it. */
  record Verdict(boolean allowed, int count, int limit, int resetSeconds) {
  }

  private static final class Window {
    final long start;
    int count;

    Window(long start) {
      this.start = start;
    }
  }

  private final Map<String, Window> windows = new HashMap<>();
  private final int limit;
  private final long windowMillis;
  private final LongSupplier clock;

  RateLimiter(int limit, long windowMillis, LongSupplier clock) {
    this.limit = limit;
    this.windowMillis = windowMillis;
    this.clock = Objects.requireNonNull(clock);
  }

  /** Counts one request of this token (refused ones too: they reached the server). */
  Verdict count(String token) {
    long now = clock.getAsLong();
    if (windows.size() > 10_000) {
      windows.values().removeIf(w -> now >= w.start + windowMillis);
    }
    Window window = windows.get(token);
    if (window == null || now >= window.start + windowMillis) {
      window = new Window(now);
      windows.put(token, window);
    }
    window.count++;
    return new Verdict(window.count <= limit, window.count, limit, resetSeconds(window, now));
  }

  /** Header values for a request that counts against no token (it had none, or an invalid one). */
  Verdict uncounted() {
    return new Verdict(true, 0, limit, (int) Math.ceil(windowMillis / 1000.0));
  }

  private int resetSeconds(Window window, long now) {
    return (int) Math.max(1, Math.ceil((window.start + windowMillis - now) / 1000.0));
  }
}
