package io.switchboard.dryrun;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hands verdicts on in the order of their items in the capture, although an accepted event's verdict is only known
 * once reorder releases it, after later items have had theirs. Holds only the verdicts behind the oldest unfinished
 * item: at most the items of the reorder hold.
 */
final class InputOrder {

  private final Consumer<EventVerdict> out;
  private final Map<Long, EventVerdict> finished = new HashMap<>();
  private long next;
  private long nextEmitted;

  InputOrder(Consumer<EventVerdict> out) {
    this.out = Objects.requireNonNull(out, "out");
  }

  /** A place for the next item of the capture. */
  long reserve() {
    return next++;
  }

  /** The verdict of the item at {@code place}; passes on every verdict now due, in order. */
  void finish(long place, EventVerdict verdict) {
    finished.put(place, verdict);
    for (EventVerdict due; (due = finished.remove(nextEmitted)) != null; nextEmitted++) {
      out.accept(due);
    }
  }

  /** Items whose verdict is not known yet. */
  long open() {
    return next - nextEmitted - finished.size();
  }
}
