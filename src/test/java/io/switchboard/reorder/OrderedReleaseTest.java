package io.switchboard.reorder;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.switchboard.reorder.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The default release mode: events leave on their lateness bound only, and the buffer measures the disorder. */
class OrderedReleaseTest {

  private static final long L = 50;
  private static final ReorderSettings SETTINGS = new ReorderSettings(ReleaseMode.ORDERED, 2_000, 100, 8, 600_000);

  private final RecordingSink sink = new RecordingSink();
  private final RecordingBound bound = new RecordingBound(L);
  /** An oracle that expects everything: ordered mode must not listen to it. */
  private final ReorderBuffer buffer = new ReorderBuffer(SETTINGS, new LatenessBounds(source -> bound),
      id -> new ScriptedOracle(List.of("a", "b", "c", "d")), sink);
  private long seq;

  @Test
  void verifiesThatAnInOrderEventIsHeldForTheBoundEvenWhenTheLifecycleExpectsIt() {
    offer("x", "a", 100, 0);
    assertEquals(List.of(), sink.types());
    assertEquals(L, buffer.nextDeadline());
    advance(L - 1);
    assertEquals(List.of(), sink.types());
    advance(L);
    assertEquals(List.of("x:a"), sink.types());
    assertEquals(ReleaseCause.BOUND, sink.out.get(0).cause());
    assertEquals(L, sink.out.get(0).held());
  }

  @Test
  void verifiesThatASwapWithinTheBoundComesOutInOrderAndIsMeasured() {
    offer("x", "b", 200, 0);
    offer("x", "a", 100, 7);
    assertEquals(List.of(7L), bound.delays, "a came 7 ms after the later b");
    advance(L);
    assertEquals(List.of("x:a", "x:b"), sink.types(), "b's deadline takes a, which must precede it, along");
    assertEquals(List.of(L - 7, L), sink.out.stream().map(RecordingSink.Out::held).toList());
    assertEquals(2, bound.arrivals);
  }

  @Test
  void verifiesThatAnEventArrivingBeyondTheBoundIsLateAndMeasuredFromTheFirstLaterArrival() {
    offer("x", "c", 300, 0);
    offer("x", "b", 200, 10);
    advance(L);
    assertEquals(List.of("x:b", "x:c"), sink.types());
    offer("x", "a", 100, 80);
    assertEquals(List.of("x:b", "x:c", "x:a~"), sink.types());
    assertEquals(80, sink.out.get(2).held(), "c, the first-arrived later event, came at 0");
    assertEquals(List.of(10L, 80L), bound.delays);
  }

  @Test
  void verifiesThatLateDelaysAreMeasuredFromTheEarliestArrivalAmongLaterReleasedEvents() {
    offer("x", "b", 200, 0);
    advance(L);
    offer("x", "d", 400, 100);
    advance(100 + L);
    offer("x", "c", 300, 300);
    assertEquals("x:c~", sink.types().get(2));
    assertEquals(200, sink.out.get(2).held(), "d arrived at 100");
    offer("x", "a", 100, 400);
    assertEquals("x:a~", sink.types().get(3));
    assertEquals(400, sink.out.get(3).held(), "b arrived at 0, the earliest of b and d");
  }

  @Test
  void verifiesThatEqualEventTimesAreNotDisorder() {
    offer("x", "a", 100, 0);
    offer("x", "b", 100, 5);
    advance(5 + L);
    assertEquals(List.of("x:a", "x:b"), sink.types());
    assertEquals(List.of(), bound.delays);
  }

  @Test
  void verifiesThatEachEventIsHeldForTheBoundInForceAtItsArrival() {
    offer("x", "a", 100, 0);
    bound.millis = 10;
    offer("y", "a", 100, 1);
    assertEquals(11, buffer.nextDeadline());
    advance(11);
    assertEquals(List.of("y:a"), sink.types());
    advance(L);
    assertEquals(List.of("y:a", "x:a"), sink.types());
  }

  @Test
  void verifiesThatAZeroBoundReleasesAtOnce() {
    bound.millis = 0;
    offer("x", "b", 200, 0);
    offer("x", "a", 100, 0);
    assertEquals(List.of("x:b", "x:a~"), sink.types());
    assertEquals(List.of(0L), bound.delays);
  }

  @Test
  void verifiesThatEarlyReleasesNameTheirCause() {
    ReorderBuffer small = new ReorderBuffer(new ReorderSettings(ReleaseMode.ORDERED, 2_000, 1, 2, 600_000),
        new LatenessBounds(source -> bound), id -> new ScriptedOracle(List.of()), sink);
    small.offer(event("x", "t1", 1, ++seq), 0);
    small.offer(event("x", "t2", 2, ++seq), 0);
    small.offer(event("x", "t3", 3, ++seq), 0);
    small.offer(event("y", "t1", 1, ++seq), 1);
    small.flushAll();
    assertEquals(List.of(ReleaseCause.OVERFLOW, ReleaseCause.EVICTED, ReleaseCause.EVICTED, ReleaseCause.FLUSH),
        sink.out.stream().map(RecordingSink.Out::cause).toList());
    assertEquals(List.of("x:t1!", "x:t2!", "x:t3!", "y:t1!"), sink.types());
  }

  @Test
  void verifiesThatEachSourceHasItsOwnBound() {
    RecordingBound other = new RecordingBound(500);
    ReorderBuffer twoSources = new ReorderBuffer(SETTINGS,
        new LatenessBounds(source -> source.equals("test") ? bound : other),
        id -> new ScriptedOracle(List.of()), sink);
    twoSources.offer(event("x", "a", 1, ++seq), 0);
    twoSources.offer(TestEvents.event("y", "a", 1, ++seq, "kafka"), 0);
    assertEquals(1, bound.arrivals);
    assertEquals(1, other.arrivals);
    twoSources.advance(L);
    assertEquals(List.of("x:a"), sink.types());
    twoSources.advance(500);
    assertEquals(List.of("x:a", "y:a"), sink.types());
  }

  private void offer(String conversationId, String type, long eventTime, long now) {
    sink.now = now;
    buffer.offer(event(conversationId, type, eventTime, ++seq), now);
  }

  private void advance(long now) {
    sink.now = now;
    buffer.advance(now);
  }
}
