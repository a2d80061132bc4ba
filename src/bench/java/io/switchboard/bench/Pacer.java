package io.switchboard.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands out send slots to the lanes. Unpaced (closed loop) every slot is "now". Paced (open loop) slot k is
 * due at {@code start + k / rate}, whoever claims it; the stamped send time is the slot's due time rather
 * than the actual one, so a server that makes the generator fall behind schedule shows it in the sent→delivered
 * latency instead of hiding it (coordinated omission).
 */
final class Pacer {

  private final double intervalNanos;
  private final long startNanos;
  private final long startEpochMillis;
  private final AtomicLong claimed = new AtomicLong();

  private Pacer(double ratePerSecond) {
    this.intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
    this.startNanos = System.nanoTime();
    this.startEpochMillis = System.currentTimeMillis();
  }

  /** Starts the clock now; {@code ratePerSecond <= 0} means unpaced. */
  static Pacer start(double ratePerSecond) {
    return new Pacer(ratePerSecond);
  }

  /** @param delayMillis how long to wait before sending; 0 to send now */
  record Slot(long delayMillis, long sentAtMillis) {
  }

  Slot claim() {
    if (intervalNanos == 0) {
      return new Slot(0, System.currentTimeMillis());
    }
    long offsetNanos = (long) (claimed.getAndIncrement() * intervalNanos);
    long delayNanos = startNanos + offsetNanos - System.nanoTime();
    return new Slot(Math.max(0, delayNanos / 1_000_000), startEpochMillis + offsetNanos / 1_000_000);
  }
}
