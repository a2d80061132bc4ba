package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.switchboard.reorder.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer's mechanics, in lifecycle release mode with a fixed bound of {@code WINDOW}: holds, deadlines, the
 * oracle's early release, late events, bounds, forgetting. {@link OrderedReleaseTest} covers the default mode.
 */
class ReorderBufferTest {

  private static final long WINDOW = 2_000;
  private static final long MINUTE = 60_000;
  private static final ReorderSettings SETTINGS = new ReorderSettings(ReleaseMode.LIFECYCLE, WINDOW, 100, 8, 600_000);
  private static final List<String> CALL = List.of("a", "b", "c", "d");

  private final RecordingSink sink = new RecordingSink();
  private final Map<String, List<ScriptedOracle>> oracles = new HashMap<>();
  private final Map<String, List<String>> scripts = new HashMap<>();
  private long seq;

  @Test
  void verifiesThatAnExpectedEventArrivingInOrderIsReleasedAtOnce() {
    scripts.put("x", CALL);
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    offer(buffer, "x", "b", 200, 5);
    offer(buffer, "x", "c", 300, 10);
    assertEquals(List.of("x:a", "x:b", "x:c"), sink.types());
    assertEquals(0, buffer.bufferedEvents());
    assertEquals(1, buffer.conversations());
    assertEquals(3, oracle("x").released.size());
    assertEquals(601_000, buffer.nextDeadline(), "only the idle expiry, rounded up to a whole second");
  }

  @Test
  void verifiesThatAGapHoldsUntilTheMissingEventArrivesAndThenReleasesTheRestInOrder() {
    scripts.put("x", CALL);
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    offer(buffer, "x", "d", 400, 10);
    offer(buffer, "x", "c", 300, 20);
    assertEquals(List.of("x:a"), sink.types());
    assertEquals(2, buffer.bufferedEvents());
    assertEquals(10 + WINDOW, buffer.nextDeadline());
    offer(buffer, "x", "b", 200, 30);
    assertEquals(List.of("x:a", "x:b", "x:c", "x:d"), sink.types());
    assertEquals(0, buffer.bufferedEvents());
  }

  @Test
  void verifiesThatAGapIsReleasedWhenTheWindowRunsOutAndTheMissingEventIsThenLate() {
    scripts.put("x", CALL);
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    offer(buffer, "x", "c", 300, 100);
    assertEquals(2_100, buffer.nextDeadline());
    advance(buffer, 2_099);
    assertEquals(List.of("x:a"), sink.types());
    advance(buffer, 2_100);
    assertEquals(List.of("x:a", "x:c"), sink.types(), "released on its deadline, in order, not early");
    offer(buffer, "x", "b", 200, 2_200);
    assertEquals(List.of("x:a", "x:c", "x:b~"), sink.types());
    assertTrue(sink.out.get(2).event().late());
    assertTrue(oracle("x").released.get(2).late(), "the sink passed it on, so the oracle heard of it");
  }

  @Test
  void verifiesThatTheOracleHearsOfALateEventOnlyIfTheSinkPassedItOn() {
    RecordingSink deadLettering = new RecordingSink(event -> false);
    List<ScriptedOracle> made = new ArrayList<>();
    ReorderBuffer buffer = new ReorderBuffer(SETTINGS, LatenessBounds.fixed(WINDOW), id -> {
      ScriptedOracle oracle = new ScriptedOracle(CALL);
      made.add(oracle);
      return oracle;
    }, deadLettering);
    buffer.offer(event("x", "a", 100, 1), 0);
    buffer.offer(event("x", "c", 300, 2), 0);
    buffer.advance(WINDOW);
    buffer.offer(event("x", "b", 200, 3), WINDOW + 1);
    assertEquals(3, deadLettering.out.size());
    assertTrue(deadLettering.out.get(2).late());
    assertEquals(2, made.get(0).released.size());
  }

  @Test
  void verifiesThatAnEventAtTheSameTimeAsTheLastReleasedIsNotLate() {
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    advance(buffer, WINDOW);
    offer(buffer, "x", "b", 100, WINDOW + 1);
    advance(buffer, 2 * WINDOW + 1);
    assertEquals(List.of("x:a", "x:b"), sink.types());
  }

  @Test
  void verifiesThatShuffledEventsComeOutSortedPerConversation() {
    ReorderBuffer buffer = buffer(SETTINGS);
    long[] times = {500, 100, 400, 200, 300};
    for (int i = 0; i < times.length; i++) {
      offer(buffer, "x", "t" + times[i], times[i], i * 10L);
    }
    assertEquals(5, buffer.bufferedEvents());
    advance(buffer, WINDOW);
    assertEquals(List.of("x:t100", "x:t200", "x:t300", "x:t400", "x:t500"), sink.types());
  }

  @Test
  void verifiesThatInterleavedConversationsAreIndependent() {
    scripts.put("x", CALL);
    scripts.put("y", CALL);
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    offer(buffer, "x", "c", 300, 1);
    offer(buffer, "y", "a", 150, 2);
    offer(buffer, "y", "b", 250, 3);
    offer(buffer, "y", "c", 350, 4);
    assertEquals(List.of("x:a", "y:a", "y:b", "y:c"), sink.types(), "y flows while x waits");
    offer(buffer, "x", "b", 200, 5);
    assertEquals(List.of("x:a", "y:a", "y:b", "y:c", "x:b", "x:c"), sink.types());
  }

  @Test
  void verifiesThatEventsWithTheSameTimeLeaveInArrivalOrder() {
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "first", 100, 0);
    offer(buffer, "x", "second", 100, 1);
    offer(buffer, "x", "earlier", 50, 2);
    offer(buffer, "x", "third", 100, 3);
    advance(buffer, WINDOW);
    assertEquals(List.of("x:earlier", "x:first"), sink.types(), "first is due, earlier must precede it");
    advance(buffer, 3 + WINDOW);
    assertEquals(List.of("x:earlier", "x:first", "x:second", "x:third"), sink.types());
  }

  @Test
  void verifiesThatEveryEventWaitsAtMostTheWindowAfterItsArrival() {
    scripts.put("x", CALL);
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "a", 100, 0);
    offer(buffer, "x", "d", 400, 0);
    offer(buffer, "x", "c", 300, 1_500);
    advance(buffer, WINDOW);
    assertEquals(List.of("x:a", "x:c", "x:d"), sink.types(),
        "d is due at 2000 and c must precede it, though c's own deadline is 3500");
    assertEquals(0, buffer.bufferedEvents());
  }

  @Test
  void verifiesThatAFullConversationReleasesItsEarliestEventEarlyWithoutLosingAny() {
    ReorderBuffer buffer = buffer(new ReorderSettings(ReleaseMode.LIFECYCLE, WINDOW, 100, 3, 600_000));
    offer(buffer, "x", "t200", 200, 0);
    offer(buffer, "x", "t300", 300, 1);
    offer(buffer, "x", "t100", 100, 2);
    offer(buffer, "x", "t400", 400, 3);
    assertEquals(List.of("x:t100!"), sink.types());
    assertEquals(3, buffer.bufferedEvents());
    offer(buffer, "x", "t150", 150, 4);
    assertEquals(List.of("x:t100!", "x:t150!"), sink.types(), "the newcomer is the earliest, so it leaves");
    advance(buffer, 3 + WINDOW);
    assertEquals(List.of("x:t100!", "x:t150!", "x:t200", "x:t300", "x:t400"), sink.types());
  }

  @Test
  void verifiesThatAnOverflowReleaseCanUnblockTheOracle() {
    scripts.put("x", List.of("a", "b", "c", "d", "e"));
    ReorderBuffer buffer = buffer(new ReorderSettings(ReleaseMode.LIFECYCLE, WINDOW, 100, 2, 600_000));
    offer(buffer, "x", "b", 200, 0);
    offer(buffer, "x", "c", 300, 1);
    offer(buffer, "x", "e", 500, 2);
    assertEquals(List.of("x:b!", "x:c"), sink.types(), "b leaves early, then c is expected next");
  }

  @Test
  void verifiesThatTheConversationCapEvictsTheLeastRecentlyActiveOneReleasingItsEventsFirst() {
    ReorderBuffer buffer = buffer(new ReorderSettings(ReleaseMode.LIFECYCLE, WINDOW, 2, 8, 600_000));
    offer(buffer, "x", "t200", 200, 0);
    offer(buffer, "x", "t100", 100, 1);
    offer(buffer, "y", "t100", 100, 2);
    offer(buffer, "z", "t100", 100, 3);
    assertEquals(List.of("x:t100!", "x:t200!"), sink.types());
    assertEquals(2, buffer.conversations());
    assertEquals(2, buffer.bufferedEvents());
    offer(buffer, "y", "t150", 150, 4);
    offer(buffer, "x", "t50", 50, 5);
    assertEquals(List.of("x:t100!", "x:t200!", "z:t100!"), sink.types(),
        "y was touched after z, so z goes; x starts afresh, so t50 is not late");
    assertEquals(2, oracles.get("x").size());
  }

  @Test
  void verifiesThatIdleConversationsAreForgottenAfterTheRetention() {
    scripts.put("x", CALL);
    ReorderBuffer buffer = buffer(new ReorderSettings(ReleaseMode.LIFECYCLE, WINDOW, 100, 8, 10_000));
    offer(buffer, "x", "a", 100, 1);
    offer(buffer, "x", "b", 200, 2);
    assertEquals(11_000, buffer.nextDeadline());
    advance(buffer, 10_999);
    assertEquals(1, buffer.conversations());
    advance(buffer, 11_000);
    assertEquals(0, buffer.conversations());
    assertEquals(Long.MAX_VALUE, buffer.nextDeadline());
    offer(buffer, "x", "a", 50, 12_000);
    assertEquals(List.of("x:a", "x:b", "x:a"), sink.types(), "a new lifetime: neither late nor held");
  }

  @Test
  void verifiesThatAFinishedConversationIsRememberedForAMinuteThenForgotten() {
    scripts.put("x", List.of("start", "end"));
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "start", 100, 0);
    offer(buffer, "x", "end", 200, 5);
    assertEquals(5 + MINUTE, buffer.nextDeadline());
    offer(buffer, "x", "start", 150, 30_000);
    assertEquals(List.of("x:start", "x:end", "x:start~"), sink.types(), "a straggler is still known late");
    assertEquals(30_000 + MINUTE, buffer.nextDeadline(), "activity extends the retention");
    advance(buffer, 30_000 + MINUTE - 1);
    assertEquals(1, buffer.conversations());
    advance(buffer, 30_000 + MINUTE);
    assertEquals(0, buffer.conversations());
  }

  @Test
  void verifiesThatAFinishedConversationIsKeptWhileItStillBuffersEvents() {
    scripts.put("x", List.of("start", "end"));
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "start", 100, 0);
    offer(buffer, "x", "end", 300, 0);
    offer(buffer, "x", "attributes", 400, 1_000);
    advance(buffer, WINDOW);
    assertEquals(1, buffer.bufferedEvents());
    assertEquals(1, buffer.conversations());
    advance(buffer, 1_000 + WINDOW);
    assertEquals(List.of("x:start", "x:end", "x:attributes"), sink.types());
    advance(buffer, 1_000 + MINUTE);
    assertEquals(0, buffer.conversations());
  }

  @Test
  void verifiesThatFlushAllReleasesEverythingInOrderFlaggedEarly() {
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "t300", 300, 0);
    offer(buffer, "y", "t20", 20, 1);
    offer(buffer, "x", "t100", 100, 2);
    offer(buffer, "y", "t10", 10, 3);
    buffer.flushAll();
    assertEquals(List.of("x:t100!", "x:t300!", "y:t10!", "y:t20!"), sink.types());
    assertEquals(0, buffer.bufferedEvents());
    assertEquals(2, buffer.conversations());
    offer(buffer, "x", "t200", 200, 4);
    assertTrue(sink.out.get(4).late(), "what was flushed still counts as released");
  }

  @Test
  void verifiesThatNextDeadlineIsTheEarliestWorkAcrossConversations() {
    ReorderBuffer buffer = buffer(SETTINGS);
    assertEquals(Long.MAX_VALUE, buffer.nextDeadline());
    offer(buffer, "y", "t100", 100, 300);
    offer(buffer, "x", "t100", 100, 500);
    offer(buffer, "x", "t50", 50, 700);
    assertEquals(300 + WINDOW, buffer.nextDeadline());
    advance(buffer, 300 + WINDOW);
    assertEquals(List.of("y:t100"), sink.types());
    assertEquals(500 + WINDOW, buffer.nextDeadline());
    advance(buffer, buffer.nextDeadline());
    assertEquals(List.of("y:t100", "x:t50", "x:t100"), sink.types());
    assertEquals(601_000, buffer.nextDeadline(), "left: the idle expiry of y, the least recently offered");
  }

  @Test
  void verifiesThatArrivalTimeGoingBackwardsIsTreatedAsStandingStill() {
    ReorderBuffer buffer = buffer(SETTINGS);
    offer(buffer, "x", "t200", 200, 1_000);
    offer(buffer, "x", "t100", 100, 400);
    assertEquals(1_000 + WINDOW, buffer.nextDeadline());
    advance(buffer, 5);
    assertEquals(0, sink.out.size(), "advance to an earlier time releases nothing");
    advance(buffer, 1_000 + WINDOW);
    assertEquals(List.of("x:t100", "x:t200"), sink.types());
  }

  @Test
  void verifiesThatAZeroWindowNeverHoldsAnEvent() {
    ReorderBuffer buffer = buffer(new ReorderSettings(ReleaseMode.LIFECYCLE, 0, 100, 8, 0));
    offer(buffer, "x", "t200", 200, 0);
    offer(buffer, "x", "t100", 100, 0);
    assertEquals(List.of("x:t200", "x:t100~"), sink.types());
    assertEquals(0, buffer.bufferedEvents());
  }

  @Test
  void verifiesThatASinkCallingBackIntoTheBufferIsRefused() {
    ReorderBuffer[] self = new ReorderBuffer[1];
    ReorderSink reentrant = new ReorderSink() {
      @Override
      public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
        self[0].advance(0);
      }

      @Override
      public boolean late(PipelineEvent event, long delayMillis) {
        return false;
      }
    };
    self[0] = new ReorderBuffer(SETTINGS, LatenessBounds.fixed(WINDOW), id -> new ScriptedOracle(CALL), reentrant);
    assertThrows(IllegalStateException.class, () -> self[0].offer(event("x", "a", 1, 1), 0));
    self[0].offer(event("x", "c", 3, 2), 1);
    assertEquals(1, self[0].bufferedEvents(), "the buffer is usable after the refused call");
  }

  @Test
  void verifiesThatInvalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ReorderSettings(ReleaseMode.LIFECYCLE, -1, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new ReorderSettings(ReleaseMode.LIFECYCLE, 1, 0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new ReorderSettings(ReleaseMode.LIFECYCLE, 1, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ReorderSettings(ReleaseMode.LIFECYCLE, 2_000, 1, 1, 1_999));
    assertThrows(NullPointerException.class, () -> new ReorderSettings(null, 1, 1, 1, 1));
    assertEquals(new ReorderSettings(ReleaseMode.ORDERED, 2_000, 100_000, 256, 600_000), ReorderSettings.defaults());
    ReorderBuffer buffer = new ReorderBuffer(SETTINGS, LatenessBounds.fixed(WINDOW), id -> null, sink);
    assertThrows(NullPointerException.class, () -> buffer.offer(event("x", "a", 1, 1), 0));
  }

  private ReorderBuffer buffer(ReorderSettings settings) {
    return new ReorderBuffer(settings, LatenessBounds.fixed(settings.windowMillis()), id -> {
      ScriptedOracle oracle = new ScriptedOracle(scripts.getOrDefault(id, List.of()));
      oracles.computeIfAbsent(id, k -> new ArrayList<>()).add(oracle);
      return oracle;
    }, sink);
  }

  private ScriptedOracle oracle(String conversationId) {
    List<ScriptedOracle> made = oracles.get(conversationId);
    return made.get(made.size() - 1);
  }

  private void offer(ReorderBuffer buffer, String conversationId, String type, long eventTime, long now) {
    sink.now = now;
    buffer.offer(event(conversationId, type, eventTime, ++seq), now);
  }

  private void advance(ReorderBuffer buffer, long now) {
    sink.now = now;
    buffer.advance(now);
  }
}
