package io.switchboard.dispatch.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Kafka's producer with one change to {@code send}: once a send has waited {@code max.block.ms} in vain (for the
 * topic's metadata, or for buffer space), the sends of the next {@code max.block.ms} fail at once with
 * {@link SendBlocked} instead of each waiting as long again.
 *
 * <p>Why: Vert.x's {@code KafkaProducer} runs every {@code send} on one ordered worker context, so sends queue behind
 * each other. With the topic missing ({@code auto.create.topics.enable=false}) or no broker reachable, each queued
 * send would block for the whole {@code max.block.ms}: a batch of 500 records would be answered only after 500 times
 * that, and the producer's close, queued behind them, as late. Gated, the first send waits, those queued behind it fail
 * fast with a retriable error, and the first send after the gate reopens tries again, so a topic created meanwhile
 * is found within one more wait.
 *
 * <p>Thread-safe: {@code send} runs on the worker, callbacks on the producer's I/O thread or, for a failure inside
 * {@code send}, on the caller's.
 */
final class GatedProducer extends KafkaProducer<String, byte[]> {

  private final long maxBlockNanos;
  private volatile Closed closed;

  /** @param config complete producer properties, serialisers and {@code max.block.ms} included */
  GatedProducer(Map<String, Object> config, long maxBlockMs) {
    super(config);
    this.maxBlockNanos = TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<String, byte[]> record, Callback callback) {
    Closed gate = closed;
    if (gate != null && System.nanoTime() - gate.reopensAt < 0) {
      SendBlocked fast = new SendBlocked("not sent: a send " + TimeUnit.NANOSECONDS.toMillis(maxBlockNanos)
          + " ms ago already waited in vain (" + gate.reason + ")");
      if (callback != null) {
        callback.onCompletion(null, fast);
      }
      return CompletableFuture.failedFuture(fast);
    }
    Thread caller = Thread.currentThread();
    return super.send(record, (metadata, error) -> {
      Exception reported = error;
      // On the calling thread, a timeout can only come from inside send(): it blocked for max.block.ms. The I/O
      // thread reports the other kind, records that expired after delivery.timeout.ms, which says nothing about send.
      if (error instanceof TimeoutException && Thread.currentThread() == caller) {
        closed = new Closed(error.getMessage(), System.nanoTime() + maxBlockNanos);
        reported = new SendBlocked(error.getMessage(), error);
      }
      if (callback != null) {
        callback.onCompletion(metadata, reported);
      }
    });
  }

  private record Closed(String reason, long reopensAt) {
  }

  /**
   * A send that could not hand its record to the producer within {@code max.block.ms}: no metadata for the topic
   * (missing, or no broker reachable) or no buffer space (the cluster is not keeping up). Nothing was sent.
   */
  static final class SendBlocked extends RetriableException {
    private static final long serialVersionUID = 1L;

    SendBlocked(String message) {
      super(message);
    }

    SendBlocked(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
