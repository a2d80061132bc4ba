package io.switchboard.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettlementTrackerTest {

  @Test
  void reportsWhatSettledBeyondTheContiguousPositionAsRanges() {
    SettlementTracker tracker = new SettlementTracker(101);
    for (int i = 0; i < 8; i++) {
      tracker.admit();
    }
    // 101..108 admitted; settle 101 (contiguous), then 103, 104, 106 and 108 beyond it.
    for (long seq : new long[] {101, 103, 104, 106, 108}) {
      tracker.settle(seq);
    }
    assertEquals(101, tracker.settledThrough());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {103, 104, 106, 106, 108, 108},
        tracker.settledRanges());
    tracker.settle(102);
    assertEquals(104, tracker.settledThrough());
    org.junit.jupiter.api.Assertions.assertArrayEquals(new long[] {106, 106, 108, 108}, tracker.settledRanges());
  }

  @Test
  void theSettledPositionWaitsForTheOldestUnsettledEvent() {
    SettlementTracker tracker = new SettlementTracker();
    long a = tracker.admit();
    long b = tracker.admit();
    long c = tracker.admit();
    assertTrue(tracker.report(c, 1));
    assertTrue(tracker.report(b, 1));
    assertEquals(0, tracker.settledThrough(), "a is unsettled, so nothing can be acknowledged");
    assertEquals(1, tracker.inFlight());
    assertTrue(tracker.report(a, 1));
    assertEquals(3, tracker.settledThrough());
    assertEquals(0, tracker.inFlight());
  }

  @Test
  void anEventWithTwoPartsSettlesOnTheSecondReport() {
    SettlementTracker tracker = new SettlementTracker();
    long seq = tracker.admit();
    assertFalse(tracker.report(seq, 2));
    assertEquals(0, tracker.settledThrough());
    assertTrue(tracker.report(seq, 2));
    assertEquals(seq, tracker.settledThrough());
  }

  @Test
  void reportsForUnknownOrSettledEventsAreIgnored() {
    SettlementTracker tracker = new SettlementTracker();
    long seq = tracker.admit();
    assertFalse(tracker.report(seq + 5, 1), "never admitted");
    tracker.settle(seq);
    assertFalse(tracker.report(seq, 1), "already settled");
    assertEquals(0, tracker.inFlight());
    assertEquals(seq, tracker.settledThrough());
  }

  @Test
  void oneStuckEventLetsTheRingGrowAndTheOthersStillCount() {
    SettlementTracker tracker = new SettlementTracker();
    long stuck = tracker.admit();
    for (int i = 0; i < 10_000; i++) {
      tracker.settle(tracker.admit());
    }
    assertEquals(1, tracker.inFlight());
    assertEquals(0, tracker.settledThrough());
    tracker.settle(stuck);
    assertEquals(10_001, tracker.settledThrough());
  }

  /** Random admissions and completions in random order, against a model that keeps every event. */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void matchesAModelUnderRandomCompletionOrders(long seed) {
    Random random = new Random(seed);
    SettlementTracker tracker = new SettlementTracker();
    Map<Long, Integer> parts = new HashMap<>();
    Map<Long, Integer> reported = new HashMap<>();
    TreeSet<Long> unsettled = new TreeSet<>();
    List<Long> open = new ArrayList<>();
    long admitted = 0;
    for (int step = 0; step < 50_000; step++) {
      if (open.isEmpty() || (open.size() < 3_000 && random.nextInt(100) < 52)) {
        long seq = tracker.admit();
        assertEquals(++admitted, seq);
        parts.put(seq, 1 + random.nextInt(3));
        unsettled.add(seq);
        open.add(seq);
      } else {
        // Mostly recent events, sometimes a very old one: journeys finish far out of order.
        int pick = random.nextInt(10) == 0 ? random.nextInt(open.size())
            : open.size() - 1 - random.nextInt(Math.min(open.size(), 20));
        long seq = open.get(pick);
        boolean settledNow;
        if (random.nextInt(20) == 0) {
          tracker.settle(seq);
          settledNow = true;
        } else {
          int count = reported.merge(seq, 1, Integer::sum);
          settledNow = tracker.report(seq, parts.get(seq));
          assertEquals(count == parts.get(seq), settledNow, "report " + count + " of " + parts.get(seq));
        }
        if (settledNow) {
          open.set(pick, open.get(open.size() - 1));
          open.remove(open.size() - 1);
          unsettled.remove(seq);
        }
      }
      long expected = unsettled.isEmpty() ? admitted : unsettled.first() - 1;
      assertEquals(expected, tracker.settledThrough(), "step " + step);
      assertEquals(unsettled.size(), tracker.inFlight(), "step " + step);
    }
  }
}
