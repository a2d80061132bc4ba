package io.switchboard.dispatch;

import io.switchboard.message.ProcessedEvent;
import io.vertx.core.Future;

import java.util.List;

/**
 * How one target type talks to its remote system. A dispatcher verticle owns one channel per target and
 * calls it only from its own event loop; the channel never retries (the dispatcher's {@link RetryPolicy}
 * decides) and never throws: every item of a batch gets an {@link Outcome}.
 *
 * <p>Adding a target type is writing one class implementing this interface and registering it in
 * {@code DeliveryChannels}.
 */
public interface DeliveryChannel {

  /** Largest batch {@link #deliver} accepts (1 for one-request-per-event targets such as HTTP). */
  int maxBatch();

  /**
   * The key whose order this target must keep: at most one delivery per key is in flight or waiting for a
   * retry, so a retried delivery is never overtaken by a later one with the same key. By default the
   * conversation; a stream target that orders by partition key (Kinesis with queue-id keys, say) returns
   * that key, so conversations sharing a partition key also keep their order there.
   */
  default String orderingKey(ProcessedEvent event) {
    return event.event().conversationId();
  }

  /** Opens connections/files. */
  Future<Void> start();

  /**
   * Delivers a batch; the returned list has one outcome per delivery, in the same order. A failed future
   * is treated as a transport failure of every item.
   */
  Future<List<Outcome>> deliver(List<Delivery> batch);

  /** Flushes and releases resources. */
  Future<Void> stop();
}
