package io.switchboard.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.switchboard.filter.FilterEvents.INTERNAL_OPS_QUEUE;
import static io.switchboard.filter.FilterEvents.filter;
import static io.switchboard.filter.FilterEvents.input;
import static io.switchboard.filter.FilterEvents.queuedSnapshot;
import static io.switchboard.filter.FilterEvents.withEventBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The README example: only enterprise-tier or priority ≥ 80 voice and chat events, excluding the Internal
 * Operations queue.
 */
class ReadmeExampleFilterTest {

  private static final EventFilter FILTER = filter("""
      {
        "detail": {"eventBody": {
          "mediaType": ["VOICE", "CHAT"],
          "queueId": [{"anything-but": ["%s"]}]
        }},
        "$or": [
          {"detail": {"eventBody": {"routingPriority": [{"numeric": [">=", 80]}]}}},
          {"conversation": {"attributes": {"tier": [{"equals-ignore-case": "enterprise"}]}}}
        ]
      }""".formatted(INTERNAL_OPS_QUEUE));

  private static final String VOICE = "eb-voice-04-acd-start.json";
  private static final String MESSAGE = "eb-multi-02-message-acd-start.json";

  private static JsonObject tier(String tier) {
    return queuedSnapshot().put("attributes", new JsonObject().put("tier", tier));
  }

  private static Optional<String> match(Buffer envelope, JsonObject snapshot) {
    return FILTER.match(input(envelope, snapshot, "acd.start", false));
  }

  @Test
  void verifiesThatAnEnterpriseVoiceCallMatchesWhateverTheCaseOfItsTier() {
    assertEquals(Optional.of("default"), match(FilterEvents.sample(VOICE), tier("ENTERPRISE")));
    assertEquals(Optional.of("default"), match(FilterEvents.sample(VOICE), tier("Enterprise")));
  }

  @Test
  void verifiesThatAStandardTierCallMatchesOnlyFromPriority80() {
    assertEquals(Optional.empty(), match(FilterEvents.sample(VOICE), tier("standard")));
    assertEquals(Optional.empty(), match(withEventBody(VOICE, new JsonObject().put("routingPriority", 79)), tier("standard")));
    Buffer priority80 = withEventBody(VOICE, new JsonObject().put("routingPriority", 80));
    assertEquals(Optional.of("default"), match(priority80, tier("standard")));
  }

  @Test
  void verifiesThatChatMatchesButMessagingDoesNot() {
    Buffer chat = withEventBody(MESSAGE, new JsonObject().put("mediaType", "CHAT"));
    assertEquals(Optional.of("default"), match(chat, tier("enterprise")));
    assertEquals(Optional.empty(), match(FilterEvents.sample(MESSAGE), tier("enterprise")));
  }

  @Test
  void verifiesThatTheInternalOperationsQueueIsExcludedEvenForEnterprise() {
    Buffer internal = withEventBody(VOICE, new JsonObject().put("queueId", INTERNAL_OPS_QUEUE).put("routingPriority", 99));
    assertEquals(Optional.empty(), match(internal, tier("enterprise")));
  }
}
