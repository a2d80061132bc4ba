package io.switchboard.it.genesys;

import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every request the emulator answered on the Genesys paths ({@code /oauth/token} and {@code /api/v2/...}; not the
 * {@code /_emulator} control paths), for tests to measure a client: how fast it calls, how it backs off, which
 * token it uses. Written on the emulator's context, readable from any thread. Bounded: beyond {@code max} entries
 * the oldest are dropped.
 */
public final class RequestLog {

  /**
   * One answered request.
   *
   * @param at         arrival, epoch ms
   * @param answeredAt when the answer was complete, epoch ms
   * @param token      the bearer token presented (null for none; for {@code /oauth/token} always null)
   * @param clientId   the OAuth client: the token's, or the Basic-auth id on {@code /oauth/token}; null if unknown
   * @param status     the HTTP status sent; 0 if the connection closed before the answer
   */
  public record Entry(long at, long answeredAt, String method, String path, String token, String clientId,
      int status) {
  }

  private final Deque<Entry> entries = new ConcurrentLinkedDeque<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int max;

  RequestLog(int max) {
    this.max = max;
  }

  void add(Entry entry) {
    entries.addLast(Objects.requireNonNull(entry));
    if (size.incrementAndGet() > max && entries.pollFirst() != null) {
      size.decrementAndGet();
    }
  }

  /** All entries in the order they were answered. */
  public List<Entry> all() {
    return List.copyOf(entries);
  }

  public List<Entry> byToken(String token) {
    return entries.stream().filter(e -> Objects.equals(token, e.token())).toList();
  }

  /** Entries whose path starts with {@code pathPrefix} (any method when {@code method} is null). */
  public List<Entry> matching(String method, String pathPrefix) {
    return entries.stream().filter(e -> (method == null || method.equals(e.method())) && e.path().startsWith(pathPrefix))
        .toList();
  }

  public long count(int status) {
    return entries.stream().filter(e -> e.status() == status).count();
  }

  public long tooManyRequests() {
    return count(429);
  }

  /** The largest number of this token's requests that arrived within any {@code windowMillis} span. */
  public int requestsPerWindow(String token, long windowMillis) {
    List<Long> times = new ArrayList<>();
    for (Entry e : entries) {
      if (Objects.equals(token, e.token())) {
        times.add(e.at());
      }
    }
    times.sort(null);
    int best = 0;
    int first = 0;
    for (int last = 0; last < times.size(); last++) {
      while (times.get(last) - times.get(first) >= windowMillis) {
        first++;
      }
      best = Math.max(best, last - first + 1);
    }
    return best;
  }
}
