package io.switchboard.dispatch;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Shards;
import io.switchboard.message.ProcessedEvent;

import java.util.Objects;

/**
 * Where one target takes an event: the instance that owns the event's ordering key, {@code hash(key) % instances}.
 * Every sender computes the same owner, so everything sharing a key meets in one dispatcher's queue, in order.
 */
public record DispatchRoute(String targetId, int instances, OrderingKey orderingKey) {

  public DispatchRoute {
    Objects.requireNonNull(targetId, "targetId");
    Objects.requireNonNull(orderingKey, "orderingKey");
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
  }

  /** The index of the dispatcher instance that owns {@code event}. */
  public int owner(ProcessedEvent event) {
    return Shards.of(orderingKey.of(event), instances);
  }

  /** The address of that instance. */
  public String address(ProcessedEvent event) {
    return Addresses.dispatch(targetId, owner(event));
  }
}
