package io.switchboard.dispatch;

import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.overflow.MemoryOverflow;
import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dispatcher's logic with a fake channel, a manual clock and recorded effects: no Vert.x, no timers. */
class TargetDispatcherTest {

  private static final long T0 = 1_700_000_000_000L;

  /** Time that moves only when the test says so. */
  private static final class ManualClock implements DispatchClock {
    long now = T0;

    @Override
    public long millis() {
      return now;
    }

    @Override
    public long nanos() {
      return now * 1_000_000;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final RecordingEffects effects = new RecordingEffects();
  private final FakeChannel channel = new FakeChannel(1);
  private final MemoryOverflow overflow = new MemoryOverflow();

  /** A dispatcher of an http-like target (one event per request) with {@code settings} merged into its config. */
  private TargetDispatcher dispatcher(String settings) {
    return dispatcher(settings, overflow);
  }

  private TargetDispatcher dispatcher(String settings, Overflow overflow) {
    JsonObject json = new JsonObject().put("id", "crm").put("type", "http").put("url", "http://127.0.0.1:1/x")
        .mergeIn(new JsonObject(settings));
    TargetConfig target = SwitchboardConfig.fromJson(new JsonObject().put("targets", new JsonArray().add(json)),
        TargetTypes.BUILT_IN).targets().get(0);
    return new TargetDispatcher(target, new EventSelection(target, OrderingKey.CONVERSATION), channel, overflow,
        clock, effects, DispatchMeters.NONE);
  }

  private ProcessedEvent event(String conversation, String id, long seq) {
    return DispatchEvents.event(conversation, id, seq, clock.now);
  }

  /** Moves the clock to the wake-up the dispatcher asked for and wakes it. */
  private void wakeWhenAsked(TargetDispatcher dispatcher) {
    assertTrue(effects.wakeAt != Long.MAX_VALUE, "the dispatcher asked for no wake-up");
    clock.now = Math.max(clock.now, effects.wakeAt);
    dispatcher.wakeUp();
  }

  @Test
  void verifiesThatALaterEventWaitsForItsConversationsRetryWhileOthersFlow() {
    TargetDispatcher dispatcher = dispatcher("{}");
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("a", "a2", 2));
    dispatcher.onEvent(event("b", "b1", 3));
    assertEquals(List.of("a1#1", "b1#1"), channel.sent(), "a2 is held behind a1; b flows");

    channel.answer("b1", Outcome.status(200));
    channel.answer("a1", Outcome.status(503));
    dispatcher.pump();
    assertEquals(List.of("a1#1", "b1#1"), channel.sent(), "a2 still waits while a1 waits for its retry");

    wakeWhenAsked(dispatcher);
    assertEquals(List.of("a1#1", "b1#1", "a1#2"), channel.sent());
    channel.answer("a1", Outcome.status(200));
    assertEquals(List.of("a1#1", "b1#1", "a1#2", "a2#1"), channel.sent());
    channel.answer("a2", Outcome.status(200));
    assertEquals(List.of("3:DELIVERED", "1:DELIVERED", "2:DELIVERED"), effects.settlements);
    assertEquals(List.of(), effects.deadLetters);
  }

  @Test
  void verifiesThatA429RetryAfterIsHonouredToTheMillisecond() {
    TargetDispatcher dispatcher = dispatcher("{}");
    dispatcher.onEvent(event("a", "a1", 1));
    channel.answer("a1", Outcome.status(429, "7"));
    assertEquals(T0 + 7_000, effects.wakeAt);

    clock.now = T0 + 6_999;
    dispatcher.pump();
    assertEquals(List.of("a1#1"), channel.sent(), "not before the Retry-After");
    clock.now = T0 + 7_000;
    dispatcher.wakeUp();
    assertEquals(List.of("a1#1", "a1#2"), channel.sent());
  }

  @Test
  void verifiesThatAnEventPastItsMaxAgeIsDeadLetteredWithoutBeingSent() {
    TargetDispatcher dispatcher = dispatcher("{\"retry\": {\"maxEventAgeSeconds\": 60}}");
    ProcessedEvent old = DispatchEvents.event("a", "a1", 1, T0 - 61_000);
    dispatcher.onEvent(old);
    assertEquals(List.of(), channel.sent());
    assertEquals(1, effects.deadLetters.size());
    DeadLetter letter = effects.deadLetters.get(0);
    assertEquals(DeadLetter.Reason.RETRIES_EXHAUSTED, letter.reason());
    assertTrue(letter.error().startsWith("max event age exceeded while waiting: 61 s > 60 s"), letter.error());
    assertEquals("crm", letter.target());
    assertEquals(RecordingEffects.PARTS, letter.settleParts(), "the DLQ writer settles the part once it is written");
    assertEquals(List.of(), effects.settlements, "not settled here: the write might still fail");

    dispatcher.onEvent(event("a", "a2", 2));
    assertEquals(List.of("a2#1"), channel.sent(), "the conversation is not held by the dead letter");
  }

  @Test
  void verifiesThatAFullQueueOverflowsAndIsRefilledInArrivalOrder() {
    TargetDispatcher dispatcher = dispatcher("{\"queue\": {\"capacity\": 2, \"maxInFlight\": 1}}");
    for (int i = 1; i <= 5; i++) {
      dispatcher.onEvent(event("a", "a" + i, i));
    }
    assertEquals(3, overflow.size(), "a1 (in flight) and a2 fill the queue; a3..a5 wait in the overflow");
    assertEquals(List.of(), effects.settlements, "held in memory, nothing is settled as parked");
    for (int i = 1; i <= 5; i++) {
      channel.answer("a" + i, Outcome.status(200));
    }
    assertEquals(List.of("a1#1", "a2#1", "a3#1", "a4#1", "a5#1"), channel.sent());
    assertEquals(0, overflow.size());
    assertEquals(List.of("1:DELIVERED", "2:DELIVERED", "3:DELIVERED", "4:DELIVERED", "5:DELIVERED"),
        effects.settlements);
  }

  @Test
  void verifiesThatNewEventsQueueBehindTheOverflowEvenWhenTheQueueHasRoom() {
    TargetDispatcher dispatcher = dispatcher("{\"queue\": {\"capacity\": 1, \"maxInFlight\": 1}}");
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("b", "b1", 2));
    assertEquals(1, overflow.size());
    dispatcher.onEvent(event("c", "c1", 3));
    assertEquals(2, overflow.size(), "c1 goes behind b1, not past it");
    channel.answer("a1", Outcome.status(200));
    channel.answer("b1", Outcome.status(200));
    assertEquals(List.of("a1#1", "b1#1", "c1#1"), channel.sent());
  }

  @Test
  void verifiesThatTheRateLimitHoldsSendsBackAndWakesWhenTheNextTokenIsDue() {
    TargetDispatcher dispatcher = dispatcher("{\"rateLimit\": {\"eventsPerSecond\": 2, \"burst\": 2}}");
    for (int i = 1; i <= 4; i++) {
      dispatcher.onEvent(event("c" + i, "e" + i, i));
    }
    assertEquals(List.of("e1#1", "e2#1"), channel.sent(), "the burst of two");
    assertEquals(T0 + 500, effects.wakeAt, "one token every 500 ms");
    clock.now = T0 + 499;
    dispatcher.pump();
    assertEquals(2, channel.sent().size());
    wakeWhenAsked(dispatcher);
    assertEquals(List.of("e1#1", "e2#1", "e3#1"), channel.sent());
  }

  @Test
  void verifiesThatATargetAnsweringAgainBringsBackedOffRetriesForward() {
    TargetDispatcher dispatcher = dispatcher("{}");
    dispatcher.onEvent(event("a", "a1", 1));
    channel.answer("a1", Outcome.status(503, "30"));
    assertEquals("RETRYING", dispatcher.status().getString("status"));
    assertEquals(T0 + 30_000, effects.wakeAt);

    clock.now = T0 + 1_000;
    dispatcher.onEvent(event("b", "b1", 2));
    channel.answer("b1", Outcome.status(200));
    assertEquals(List.of("a1#1", "b1#1", "a1#2"), channel.sent(), "a1 retried at once, not 29 s later");
    assertEquals("UP", dispatcher.status().getString("status"));
  }

  @Test
  void verifiesThatATargetFailingLongerThanItsToleranceReportsFailing() {
    TargetDispatcher dispatcher = dispatcher("{\"failingAfterSeconds\": 10}");
    dispatcher.onEvent(event("a", "a1", 1));
    channel.answer("a1", Outcome.status(503, "30"));
    clock.now = T0 + 10_000;
    assertEquals("FAILING", dispatcher.status().getString("status"));
    assertEquals(1, dispatcher.status().getInteger("waitingForRetry"));
  }

  @Test
  void verifiesThatFilteredEventsSettleAsFilteredAndAreNotSent() {
    TargetDispatcher dispatcher = dispatcher("{\"filter\": {\"detail\": {\"eventBody\": {\"mediaType\": [\"CHAT\"]}}}}");
    dispatcher.onEvent(DispatchEvents.event("a", "voice", 1, T0, null, "VOICE"));
    dispatcher.onEvent(DispatchEvents.event("b", "chat", 2, T0, null, "CHAT"));
    assertEquals(List.of("chat#1"), channel.sent());
    assertEquals(List.of("1:FILTERED"), effects.settlements);
  }

  @Test
  void verifiesThatAPermanentFailureDeadLettersAndReleasesTheConversation() {
    TargetDispatcher dispatcher = dispatcher("{}");
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("a", "a2", 2));
    channel.answer("a1", Outcome.status(400));
    assertEquals(DeadLetter.Reason.DELIVERY_REJECTED, effects.deadLetters.get(0).reason());
    assertEquals(1, effects.deadLetters.get(0).attempts());
    assertEquals(List.of("a1#1", "a2#1"), channel.sent());
    assertEquals(RecordingEffects.PARTS, effects.deadLetters.get(0).settleParts());
    assertEquals(List.of(), effects.settlements, "the DLQ writer settles it once written");
  }

  @Test
  void verifiesThatStopHandsBackEverythingStillQueuedInOrder() {
    TargetDispatcher dispatcher = dispatcher("{}");
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("a", "a2", 2));
    List<Delivery> stranded = dispatcher.stop();
    assertEquals(List.of("a1", "a2"), stranded.stream().map(d -> d.event().event().eventId()).toList());
    assertEquals(0, dispatcher.queued());
  }

  @Test
  void verifiesThatAParkedEventSettlesOnceAsParkedAndNeverAgainWhenRedriven() {
    ParkingFakeOverflow parking = new ParkingFakeOverflow();
    TargetDispatcher dispatcher = dispatcher("{\"queue\": {\"capacity\": 1, \"maxInFlight\": 1}}", parking);
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("b", "b1", 2));
    dispatcher.onEvent(event("c", "c1", 3));
    assertEquals(List.of("2:PARKED", "3:PARKED"), effects.settlements, "durable: their sources are settled");

    channel.answer("a1", Outcome.status(200));
    channel.answer("b1", Outcome.status(200));
    channel.answer("c1", Outcome.status(400));
    assertEquals(List.of("a1#1", "b1#1", "c1#1"), channel.sent());
    assertEquals(List.of("2:PARKED", "3:PARKED", "1:DELIVERED"), effects.settlements,
        "redriven deliveries, delivered or dead-lettered, do not settle again");
    assertEquals(1, effects.deadLetters.size(), "the dead letter is still written");
    assertEquals(0, effects.deadLetters.get(0).settleParts(), "but settles nothing: it was settled when parked");
    assertEquals(List.of(0L, 1L), parking.finishedOffsets, "each redriven delivery is committed once finished");
  }

  @Test
  void verifiesThatARedrivenDeliveryLeavesItsParkLogOnlyOnceTheDlqTookItsLetter() {
    ParkingFakeOverflow parking = new ParkingFakeOverflow();
    TargetDispatcher dispatcher = dispatcher("{\"queue\": {\"capacity\": 1, \"maxInFlight\": 1}}", parking);
    effects.holdLetters = true;
    dispatcher.onEvent(event("a", "a1", 1));
    dispatcher.onEvent(event("b", "b1", 2));
    channel.answer("a1", Outcome.status(200));
    channel.answer("b1", Outcome.status(400));
    assertEquals(1, effects.deadLetters.size());
    assertEquals(0, effects.deadLetters.get(0).settleParts(), "settled when parked");
    assertEquals(List.of(), parking.finishedOffsets, "still parked while the DLQ has not taken its letter");

    effects.held.get(0).complete();
    assertEquals(List.of(0L), parking.finishedOffsets, "committed once the DLQ took it");
  }
}
