package io.switchboard.bench;

import java.util.Locale;
import java.util.Objects;

/**
 * Bursts of disorder: a run of {@code size} consecutive events of one conversation sent back to back in another
 * order, as when a producer flushes a batch it buffered out of order. Each event (not already in a swap or burst)
 * starts a burst with chance {@code ratio}; a conversation's last events make a shorter burst (at least two).
 *
 * @param ratio chance, per event, that a burst starts there
 * @param size  events in a burst, at least 2
 * @param order how a burst is reordered
 */
public record BurstOptions(double ratio, int size, Order order) {

  /** No bursts: today's traffic. */
  public static final BurstOptions NONE = new BurstOptions(0, 4, Order.SHUFFLE);

  /** How the events of a burst are reordered. */
  public enum Order {
    /** A random permutation of the run other than the original order. */
    SHUFFLE,
    /** Last to first. */
    REVERSE;

    static Order parse(String text) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--burst-order must be shuffle or reverse, got " + text);
      }
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public BurstOptions {
    Objects.requireNonNull(order, "order");
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException("burst ratio must be between 0 and 1, got " + ratio);
    }
    if (size < 2) {
      throw new IllegalArgumentException("burst size must be >= 2, got " + size);
    }
  }
}
