package io.switchboard.dispatch.kinesis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Records waiting for a PutRecords request, cut into requests of at most {@code maxBatch} records and
 * {@code maxRequestBytes} bytes, first in first out. Every record must already fit on its own (the channel
 * dead-letters larger ones before they get here), so each request takes at least one.
 *
 * <p>The order of records across requests does not matter for correctness: the dispatcher's queue never has two
 * records of one partition key outstanding, so no split and no concurrency of requests can reorder a key. FIFO
 * only keeps waiting times fair. Not thread-safe: one event loop owns it.
 *
 * @param <T> a record with its size
 */
final class RecordBuffer<T> {

  private final ArrayDeque<T> waiting = new ArrayDeque<>();
  private final ToIntFunction<T> sizeOf;
  private final int maxBatch;
  private final long maxRequestBytes;
  private long bytes;

  RecordBuffer(int maxBatch, long maxRequestBytes, ToIntFunction<T> sizeOf) {
    if (maxBatch < 1 || maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxBatch and maxRequestBytes must be positive");
    }
    this.maxBatch = maxBatch;
    this.maxRequestBytes = maxRequestBytes;
    this.sizeOf = sizeOf;
  }

  void add(T record) {
    int size = sizeOf.applyAsInt(record);
    if (size > maxRequestBytes) {
      throw new IllegalArgumentException("record of " + size + " bytes can never fit a request of " + maxRequestBytes);
    }
    waiting.addLast(record);
    bytes += size;
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  int size() {
    return waiting.size();
  }

  /** Whether waiting longer could not make the next request any bigger. */
  boolean hasFullRequest() {
    return waiting.size() >= maxBatch || bytes >= maxRequestBytes;
  }

  /** Removes and returns the next request's records, oldest first; empty when nothing waits. */
  List<T> nextRequest() {
    List<T> request = new ArrayList<>(Math.min(maxBatch, waiting.size()));
    long requestBytes = 0;
    while (!waiting.isEmpty() && request.size() < maxBatch) {
      int size = sizeOf.applyAsInt(waiting.peekFirst());
      if (requestBytes + size > maxRequestBytes) {
        break;
      }
      request.add(waiting.pollFirst());
      requestBytes += size;
      bytes -= size;
    }
    return request;
  }

  /** Removes and returns everything still waiting. */
  List<T> drain() {
    List<T> all = new ArrayList<>(waiting);
    waiting.clear();
    bytes = 0;
    return all;
  }
}
