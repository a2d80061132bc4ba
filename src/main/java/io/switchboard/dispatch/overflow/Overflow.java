package io.switchboard.dispatch.overflow;

import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import io.switchboard.message.ProcessedEvent;

import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Where a dispatcher puts events its bounded queue cannot take, in arrival order, and from where it
 * refills the queue as room frees up. Owned by one dispatcher instance, used on its event loop.
 */
public interface Overflow {

  boolean isEmpty();

  /** Whether what it stores survives a restart (parking), so that storing settles an event. */
  boolean durable();

  int size();

  /**
   * Stores {@code delivery} behind everything already stored; {@code onStored} is told whether it is now
   * durable (parked: its source may consider it settled) or only held in memory.
   */
  void add(Delivery delivery, BiConsumer<Delivery, Boolean> onStored);

  /** Moves stored deliveries into {@code queue} while it has room, oldest first. */
  void refill(KeyedDeliveryQueue<Delivery> queue, long now);

  /** Tells the overflow that a delivery it handed to the queue is finished (delivered or dead-lettered). */
  void finished(Delivery delivery);

  /**
   * Stops: {@code stranded} are the deliveries still in the queue that came straight from the pipeline
   * (not redriven from this overflow); a durable overflow keeps them for the next start, in order.
   */
  Future<Void> close(java.util.List<Delivery> stranded);

  /** Opens the overflow of one dispatcher instance. */
  interface Factory {
    /**
     * @param wake    called (on the dispatcher's context) when stored work becomes available for refill
     * @param rebuild turns a stored event and its matched filter back into a delivery, as the dispatcher would
     */
    Future<Overflow> open(Vertx vertx, TargetConfig target, int instance, Runnable wake,
                          BiFunction<ProcessedEvent, String, Delivery> rebuild);
  }
}
