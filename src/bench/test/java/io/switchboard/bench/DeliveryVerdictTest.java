package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the delivery benchmark judges a target's order: every backwards step is a violation, and violations are split
 * by how late, by the generator's clock, the event reached the server against the server's lateness bound.
 */
class DeliveryVerdictTest {

  private static final Map<String, ConversationKind> KINDS = Map.of("e1", ConversationKind.VOICE,
      "e2", ConversationKind.VOICE, "e3", ConversationKind.VOICE, "e4", ConversationKind.VOICE);
  /** e1 is the latest in eventTime; e2 and e3 come before it, e4 is of another conversation. */
  private static final Map<String, PlannedLoad.Event> EVENTS = Map.of("e1", new PlannedLoad.Event("c", 2_000),
      "e2", new PlannedLoad.Event("c", 1_000), "e3", new PlannedLoad.Event("c", 1_500),
      "e4", new PlannedLoad.Event("d", 500));

  private static GeneratorOptions swaps(double ratio) {
    GeneratorOptions d = GeneratorOptions.defaults(7);
    return new GeneratorOptions(d.seed(), d.epochMillis(), d.meanArrivalGapMillis(), 70, 15, 15, 0, 0, ratio);
  }

  /** e1 reached the server in [100, 105], e2 in [200, 210] (95-110 ms after e1), e3 in [110, 112] (5-12 ms). */
  private static ArrivalGaps gaps() {
    Arrivals arrivals = new Arrivals();
    arrivals.record("e1", 100, 105);
    arrivals.record("e2", 200, 210);
    arrivals.record("e3", 110, 112);
    arrivals.record("e4", 90, 95);
    return new ArrivalGaps(EVENTS, arrivals);
  }

  /** e1, then e2 and e3 behind it (e2 flagged late), then a second delivery of e3's key. */
  private static SinkTarget delivered() {
    SinkTarget target = new SinkTarget("a");
    target.accepted("k1", "c", 1, false, new EnvelopeFields("e1", 100, 2_000), 110);
    target.accepted("k2", "c", 1, true, new EnvelopeFields("e2", 100, 1_000), 120);
    target.accepted("k3", "c", 1, false, new EnvelopeFields("e3", 100, 1_500), 130);
    target.accepted("k3", "c", 2, false, new EnvelopeFields("e3", 100, 3_000), 140);
    return target;
  }

  @Test
  void verifiesThatOnlySwappedOriginalsCountAsSentAfterALaterEvent() {
    assertEquals(Set.of(), SendOrder.sentAfterALaterEvent(new ConversationGenerator(swaps(0)).generate(200)));
    List<GeneratedConversation> swapped = new ConversationGenerator(swaps(0.3)).generate(200);
    Set<String> late = SendOrder.sentAfterALaterEvent(swapped);
    assertTrue(late.size() > 100, "a 30 % swap rate swaps plenty: " + late.size());
    for (GeneratedConversation conversation : swapped) {
      long latest = Long.MIN_VALUE;
      for (Send send : conversation.sends()) {
        long eventTime = EnvelopeFields.scan(send.body()).eventTime();
        assertEquals(eventTime < latest, late.contains(send.envelopeId()), send.envelopeId());
        latest = Math.max(latest, eventTime);
      }
    }
  }

  @Test
  void verifiesThatEveryBackwardsStepIsAViolationHoweverItWasSentOrFlagged() {
    // e2 is what a swapped pair delivered reversed looks like, flagged late or not: a violation all the same.
    JsonObject verdict = TargetVerdict.of(delivered().snapshot(), KINDS, id -> true, gaps(), null, 100);
    assertEquals(2, verdict.getLong("orderViolations"));
    assertEquals(2, verdict.getLong("violationsWithinBound"), "no bound known: every violation is within it");
    assertEquals(0, verdict.getLong("violationsBeyondBound"));
    assertEquals(1, verdict.getLong("violationsFlaggedLate"));
    assertEquals(1, verdict.getLong("flaggedLate"));
    assertEquals(1, verdict.getLong("duplicated"));
    assertEquals(1, verdict.getLong("lost"), "e4 never came");
    assertEquals(1, verdict.getLong("retriedDeliveries"));
    assertEquals(40, verdict.getJsonObject("sentToDeliveredMs").getLong("max"));
    assertEquals(2, verdict.getJsonObject("violationGapMs").getLong("n"));
    assertEquals(95, verdict.getJsonObject("violationGapMs").getLong("max"), "the shortest the gap can have been");
  }

  @Test
  void verifiesThatAViolationIsBeyondTheBoundOnlyWhenTheGeneratorsClockProvesIt() {
    JsonObject tight = TargetVerdict.of(delivered().snapshot(), KINDS, id -> true, gaps(), 50L, 100);
    assertEquals(2, tight.getLong("orderViolations"), "a breakdown, not a subtraction");
    assertEquals(1, tight.getLong("violationsBeyondBound"), "e2 came at least 95 ms after e1");
    assertEquals(1, tight.getLong("violationsWithinBound"), "e3 came 5-12 ms after e1");
    assertEquals(0, tight.getLong("violationsNearBound"));

    JsonObject loose = TargetVerdict.of(delivered().snapshot(), KINDS, id -> true, gaps(), 100L, 100);
    assertEquals(0, loose.getLong("violationsBeyondBound"));
    assertEquals(2, loose.getLong("violationsWithinBound"));
    assertEquals(1, loose.getLong("violationsNearBound"), "e2's 95-110 ms straddles 100 ms");
  }

  @Test
  void verifiesThatAGapIsBracketedBySendAndAnswerTimesOfTheEarliestLaterEvent() {
    ArrivalGaps gaps = gaps();
    assertEquals(new ArrivalGaps.Gap(95, 110), gaps.gap("e2"));
    assertEquals(new ArrivalGaps.Gap(5, 12), gaps.gap("e3"));
    assertNull(gaps.gap("e1"), "nothing later than e1 in its conversation");
    assertNull(gaps.gap("e9"), "not a planned event");
    Arrivals copies = new Arrivals();
    copies.record("e1", 100, 105);
    copies.record("e1", 300, Arrivals.UNANSWERED); // a copy, later: the first send counts
    copies.record("e2", 400, Arrivals.UNANSWERED); // given up: it may have arrived any time after 400
    ArrivalGaps.Gap gap = new ArrivalGaps(EVENTS, copies).gap("e2");
    assertEquals(295, gap.low());
    assertEquals(Long.MAX_VALUE, gap.high());
  }

  @Test
  void verifiesThatInOrderLatencyCoversOnlyTheConversationsSentInOrder() {
    JsonObject verdict = TargetVerdict.of(delivered().snapshot(), KINDS, id -> id.equals("e1"), gaps(), null, 100);
    assertEquals(1, verdict.getJsonObject("sentToDeliveredMsInOrder").getLong("n"));
    assertEquals(10, verdict.getJsonObject("sentToDeliveredMsInOrder").getLong("max"));
  }
}
