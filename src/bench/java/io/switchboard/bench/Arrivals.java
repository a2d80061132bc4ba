package io.switchboard.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * When each event reached the server, as the generator can tell: no earlier than the start of the first attempt of
 * its first send, no later than the answer to the send that was answered first. Copies count for the event they
 * carry, since the server keeps whichever comes first. The order verdict ({@link ArrivalGaps}) measures lateness in
 * these times, as the server does in its own arrival times.
 *
 * <p>A lane appends one entry per send (two longs and a reference); lanes' logs are merged once they are done, and
 * {@link #window} indexes them on first use. Not thread-safe.
 */
final class Arrivals {

  /** Stands for "never answered": the send was given up, so the server may or may not have it. */
  static final long UNANSWERED = Long.MAX_VALUE;

  private String[] ids = new String[1024];
  private long[] sentAt = new long[1024];
  private long[] answeredAt = new long[1024];
  private int size;
  private Map<String, long[]> index;

  /**
   * @param expectedId the event the send carries ({@link Send#expectedId()})
   * @param sentAt     epoch ms when its first attempt began
   * @param answeredAt epoch ms when its last attempt was answered; {@link #UNANSWERED} when given up
   */
  void record(String expectedId, long sentAt, long answeredAt) {
    if (size == ids.length) {
      ids = Arrays.copyOf(ids, size * 2);
      this.sentAt = Arrays.copyOf(this.sentAt, size * 2);
      this.answeredAt = Arrays.copyOf(this.answeredAt, size * 2);
    }
    ids[size] = expectedId;
    this.sentAt[size] = sentAt;
    this.answeredAt[size] = answeredAt;
    size++;
    index = null;
  }

  void addAll(Arrivals other) {
    for (int i = 0; i < other.size; i++) {
      record(other.ids[i], other.sentAt[i], other.answeredAt[i]);
    }
  }

  int size() {
    return size;
  }

  /** {@code [earliest, latest]} epoch ms of the event's arrival at the server; {@code null} if it was never sent. */
  long[] window(String expectedId) {
    if (index == null) {
      index = new HashMap<>(size * 2);
      for (int i = 0; i < size; i++) {
        long[] window = index.computeIfAbsent(ids[i], id -> new long[] {Long.MAX_VALUE, UNANSWERED});
        window[0] = Math.min(window[0], sentAt[i]);
        window[1] = Math.min(window[1], answeredAt[i]);
      }
    }
    return index.get(expectedId);
  }
}
