package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.function.Predicate;

/**
 * Send and delivery instants of every delivery a sink target accepted, with its envelope id, so that latency can
 * be summarised afterwards over any window of send time (before, during and after an outage) and any subset of
 * events (by conversation kind), and a backlog's drain time read off. Two longs and a reference per delivery,
 * about 2.5 MB per 100,000. Not thread-safe.
 */
final class DeliveryTimes {

  private long[] sentAt = new long[4096];
  private long[] receivedAt = new long[4096];
  private String[] ids = new String[4096];
  private int size;

  void add(long sent, long received, String id) {
    if (size == sentAt.length) {
      sentAt = Arrays.copyOf(sentAt, size * 2);
      receivedAt = Arrays.copyOf(receivedAt, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    sentAt[size] = sent;
    receivedAt[size] = received;
    ids[size] = id;
    size++;
  }

  int size() {
    return size;
  }

  DeliveryTimes copy() {
    DeliveryTimes copy = new DeliveryTimes();
    copy.sentAt = Arrays.copyOf(sentAt, Math.max(1, size));
    copy.receivedAt = Arrays.copyOf(receivedAt, Math.max(1, size));
    copy.ids = Arrays.copyOf(ids, Math.max(1, size));
    copy.size = size;
    return copy;
  }

  /**
   * Sent→delivered ms of the deliveries sent in {@code [fromSent, toSent)} whose envelope id passes {@code ids}:
   * {@code {"n","p50","p90","p99","max"}}.
   */
  JsonObject latency(long fromSent, long toSent, Predicate<String> which) {
    Latencies window = new Latencies();
    for (int i = 0; i < size; i++) {
      if (sentAt[i] >= fromSent && sentAt[i] < toSent && which.test(ids[i])) {
        window.add(receivedAt[i] - sentAt[i]);
      }
    }
    return window.summary(1);
  }

  JsonObject latency(long fromSent, long toSent) {
    return latency(fromSent, toSent, id -> true);
  }

  JsonObject latency() {
    return latency(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  /** When the last delivery of something sent before {@code sentBefore} arrived; {@code Long.MIN_VALUE} if none. */
  long lastDeliveryOfSentBefore(long sentBefore) {
    long last = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      if (sentAt[i] < sentBefore) {
        last = Math.max(last, receivedAt[i]);
      }
    }
    return last;
  }

  /** How many deliveries arrived before {@code at}. */
  long deliveredBefore(long at) {
    long count = 0;
    for (int i = 0; i < size; i++) {
      if (receivedAt[i] < at) {
        count++;
      }
    }
    return count;
  }

  long lastReceived() {
    long last = Long.MIN_VALUE;
    for (int i = 0; i < size; i++) {
      last = Math.max(last, receivedAt[i]);
    }
    return last;
  }
}
