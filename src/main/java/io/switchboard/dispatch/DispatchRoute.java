package io.switchboard.dispatch;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Shards;
import io.switchboard.message.ProcessedEvent;

import java.util.Objects;

/**
 * Where one target takes an event: the instance that owns the event's ordering key, {@code hash(key) % instances}.
 * Every sender computes the same owner, so everything sharing a key meets in one dispatcher's queue, in order.
 */
public final class DispatchRoute {

  private final String targetId;
  private final int instances;
  private final OrderingKey orderingKey;
  /** One address per instance, built once: the route runs for every event and every target. */
  private final String[] addresses;

  /** @param node the node whose dispatchers take the events (every target is on every node) */
  public DispatchRoute(String node, String targetId, int instances, OrderingKey orderingKey) {
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.orderingKey = Objects.requireNonNull(orderingKey, "orderingKey");
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be at least 1, got " + instances);
    }
    this.instances = instances;
    this.addresses = new String[instances];
    for (int i = 0; i < instances; i++) {
      addresses[i] = Addresses.dispatch(Objects.requireNonNull(node, "node"), targetId, i);
    }
  }

  public String targetId() {
    return targetId;
  }

  /** The index of the dispatcher instance that owns {@code event}. */
  public int owner(ProcessedEvent event) {
    return instances == 1 ? 0 : Shards.of(orderingKey.of(event), instances);
  }

  /** The address of that instance. */
  public String address(ProcessedEvent event) {
    return addresses[owner(event)];
  }
}
