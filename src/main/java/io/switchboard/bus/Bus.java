package io.switchboard.bus;

import io.vertx.core.eventbus.DeliveryOptions;

/**
 * How to send on a clustered event bus without paying for it where it is not needed. A send to an address of this
 * node is marked local-only, so the clustered bus delivers it at once instead of first resolving the address's
 * registrations through the cluster manager. Unclustered, both options are the same.
 */
public final class Bus {

  /** For addresses consumed on this node only (the stages between dedup and the dispatchers, the DLQ writer). */
  public static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  private static final DeliveryOptions ANYWHERE = new DeliveryOptions();

  private Bus() {
  }

  /** Local-only when {@code address} is one of {@code localNode}'s own ({@code sb.<node>.…}), else cluster-wide. */
  public static DeliveryOptions to(String address, String localNode) {
    return isOn(address, localNode) ? LOCAL : ANYWHERE;
  }

  /** Whether {@code address} is scoped to {@code node}. */
  public static boolean isOn(String address, String node) {
    return address.length() > node.length() + 4 && address.startsWith("sb.") && address.startsWith(node, 3)
        && address.charAt(3 + node.length()) == '.';
  }
}
