package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the delivery benchmark tells expected late events from real order violations, and judges a target. */
class DeliveryVerdictTest {

  private static GeneratorOptions swaps(double ratio) {
    GeneratorOptions d = GeneratorOptions.defaults(7);
    return new GeneratorOptions(d.seed(), d.epochMillis(), d.meanArrivalGapMillis(), 70, 15, 15, 0, 0, ratio);
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
  void verifiesThatABackwardsStepIsAViolationUnlessTheGeneratorSentItThatWay() {
    SinkTarget target = new SinkTarget("a");
    target.accepted("k1", "c", 1, new EnvelopeFields("e1", 100, 2_000), 110);
    target.accepted("k2", "c", 1, new EnvelopeFields("e2", 100, 1_000), 120); // swapped by the generator
    target.accepted("k3", "c", 1, new EnvelopeFields("e3", 100, 1_500), 130); // not: a real violation
    target.accepted("k3", "c", 2, new EnvelopeFields("e3", 100, 3_000), 140); // a second delivery of k3
    Map<String, ConversationKind> kinds = Map.of("e1", ConversationKind.VOICE, "e2", ConversationKind.VOICE,
        "e3", ConversationKind.VOICE, "e4", ConversationKind.VOICE);
    JsonObject verdict = TargetVerdict.of(target.snapshot(), kinds, Set.of("e2"), 100);
    assertEquals(1, verdict.getLong("lateSwapped"));
    assertEquals(1, verdict.getLong("orderViolations"));
    assertEquals(1, verdict.getLong("duplicated"));
    assertEquals(1, verdict.getLong("lost"), "e4 never came");
    assertEquals(1, verdict.getLong("retriedDeliveries"));
    assertEquals(40, verdict.getJsonObject("sentToDeliveredMs").getLong("max"));
  }
}
