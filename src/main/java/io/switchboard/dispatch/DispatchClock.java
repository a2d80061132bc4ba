package io.switchboard.dispatch;

/** The time a {@link TargetDispatcher} reads: the wall clock in production, a manual one in tests. */
public interface DispatchClock {

  DispatchClock SYSTEM = new DispatchClock() {
    @Override
    public long millis() {
      return System.currentTimeMillis();
    }

    @Override
    public long nanos() {
      return System.nanoTime();
    }
  };

  /** Wall-clock milliseconds: compared with events' ingest times, so the same epoch. */
  long millis();

  /** A monotonic reading for measuring how long an attempt took. */
  long nanos();
}
