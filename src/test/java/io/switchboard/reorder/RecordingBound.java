package io.switchboard.reorder;

import java.util.ArrayList;
import java.util.List;

/** A lateness bound set by the test, recording what the buffer told it. */
final class RecordingBound implements LatenessBound {

  long millis;
  int arrivals;
  final List<Long> delays = new ArrayList<>();

  RecordingBound(long millis) {
    this.millis = millis;
  }

  @Override
  public long millis(long nowMillis) {
    return millis;
  }

  @Override
  public void arrived(long nowMillis) {
    arrivals++;
  }

  @Override
  public void disordered(long delayMillis, long nowMillis) {
    delays.add(delayMillis);
  }
}
