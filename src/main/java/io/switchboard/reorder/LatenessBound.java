package io.switchboard.reorder;

/**
 * The lateness bound {@code L} of one source: how long, in arrival time, an event is held for earlier events of
 * its conversation that may still arrive. The buffer reports every arrival and every out-of-order arrival to
 * it, so a bound may learn from the traffic. Times are the buffer's monotonic milliseconds. Not thread-safe.
 */
public interface LatenessBound {

  /** The bound in force at {@code nowMillis}. */
  long millis(long nowMillis);

  /** An event of this source arrived. */
  void arrived(long nowMillis);

  /**
   * An event of this source arrived {@code delayMillis} after the first-arrived of the later events of its
   * conversation: the bound it would have needed to come out in order.
   */
  void disordered(long delayMillis, long nowMillis);

  /** A bound that never changes: {@code reorder.lateness: "fixed"}. */
  static LatenessBound fixed(long millis) {
    if (millis < 0) {
      throw new IllegalArgumentException("a lateness bound must not be negative: " + millis);
    }
    return new LatenessBound() {
      @Override
      public long millis(long nowMillis) {
        return millis;
      }

      @Override
      public void arrived(long nowMillis) {
      }

      @Override
      public void disordered(long delayMillis, long nowMillis) {
      }
    };
  }
}
