package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/** A growable list of long samples and its percentiles (nearest rank). Not thread-safe. */
final class Latencies {

  private long[] values = new long[1024];
  private int size;

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  void addAll(Latencies other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  int size() {
    return size;
  }

  /**
   * {@code {"n","p50","p90","p99","max"}}; only {@code n} when empty. Values are divided by {@code unit}: whole
   * numbers for unit 1, else to one decimal (nanoseconds shown as milliseconds).
   */
  JsonObject summary(long unit) {
    JsonObject out = new JsonObject().put("n", size);
    if (size == 0) {
      return out;
    }
    long[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    return out.put("p50", scaled(rank(sorted, 0.50), unit)).put("p90", scaled(rank(sorted, 0.90), unit))
        .put("p99", scaled(rank(sorted, 0.99), unit)).put("max", scaled(sorted[size - 1], unit));
  }

  private static Number scaled(long value, long unit) {
    return unit == 1 ? (Number) value : (Number) Rates.oneDecimal((double) value / unit);
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)];
  }
}
