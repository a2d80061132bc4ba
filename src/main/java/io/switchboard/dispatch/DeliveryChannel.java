package io.switchboard.dispatch;

import io.vertx.core.Future;

import java.util.List;

/**
 * How one target type talks to its remote system. A dispatcher verticle owns one channel per target and
 * calls it only from its own event loop; the channel never retries (the dispatcher's {@link RetryPolicy}
 * decides) and never throws: every item of a batch gets an {@link Outcome}.
 *
 * <p>Adding a target type is writing one class implementing this interface and registering it, with its options
 * and ordering key, as a {@link TargetType} in {@link TargetTypes}.
 */
public interface DeliveryChannel {

  /** Largest batch {@link #deliver} accepts (1 for one-request-per-event targets such as HTTP). */
  int maxBatch();

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
