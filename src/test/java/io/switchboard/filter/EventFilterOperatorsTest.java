package io.switchboard.filter;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.switchboard.filter.FilterEvents.acdStart;
import static io.switchboard.filter.FilterEvents.filter;
import static io.switchboard.filter.FilterEvents.input;
import static io.switchboard.filter.FilterEvents.queuedSnapshot;
import static io.switchboard.filter.FilterEvents.sample;
import static io.switchboard.filter.FilterEvents.withEventBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each EventBridge operator family, against sample envelopes plus a conversation snapshot. */
class EventFilterOperatorsTest {

  private static final Optional<String> MATCHED = Optional.of(EventFilter.DEFAULT);
  private static final Optional<String> NOT_MATCHED = Optional.empty();

  private static final String CUSTOMER_START = "eb-voice-01-customer-start.json";
  private static final String CALLBACK_ACD_START = "eb-multi-06-callback-acd-start.json";
  private static final String MESSAGE_ACD_START = "eb-multi-02-message-acd-start.json";

  @Test
  void verifiesThatExactMatchingSeesEnvelopeBodySnapshotAndMetadata() {
    EventFilter filter = filter("""
        {"account": ["123456789012"], "region": ["us-east-1"],
         "detail": {"eventBody": {"mediaType": ["VOICE"]}},
         "conversation": {"state": ["queued"], "channels": ["voice"]},
         "switchboard": {"eventType": ["acd.start"], "late": [false]}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(NOT_MATCHED, filter.match(input(sample("eb-voice-04-acd-start.json"), queuedSnapshot(), "acd.start", true)));
    assertEquals(NOT_MATCHED, filter.match(input(MESSAGE_ACD_START, queuedSnapshot(), "acd.start")));
  }

  @Test
  void verifiesThatAnArrayValueMatchesWhenAnyElementDoes() {
    EventFilter filter = filter("""
        {"conversation": {"queues": ["b74770d1-1b52-4159-8687-8bc3af71001a", "ebcf5b0a-adb4-425b-be58-1e1d0ee59938"]}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    JsonObject noQueues = queuedSnapshot().put("queues", new JsonArray());
    assertEquals(NOT_MATCHED, filter.match(input(CUSTOMER_START, noQueues, "customer.start")));
  }

  @Test
  void verifiesThatPrefixMatchingWorks() {
    EventFilter filter = filter("""
        {"source": [{"prefix": "aws.partner/genesys.com/cloud/"}],
         "detail": {"eventBody": {"ani": [{"prefix": "tel:+1555"}]}}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(NOT_MATCHED, filter.match(input(withEventBody("eb-voice-04-acd-start.json",
        new JsonObject().put("ani", "tel:+4420799900")), queuedSnapshot(), "acd.start", false)));
  }

  @Test
  void verifiesThatSuffixMatchingWorks() {
    EventFilter filter = filter("""
        {"detail": {"topicName": [{"suffix": ".acd.start"}]}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input(CALLBACK_ACD_START, queuedSnapshot(), "acd.start")));
    assertEquals(NOT_MATCHED, filter.match(input("eb-voice-05-acd-end.json", queuedSnapshot(), "acd.end")));
  }

  @Test
  void verifiesThatAnythingButExcludesAListOfValues() {
    EventFilter filter = filter("""
        {"detail": {"eventBody": {"mediaType": [{"anything-but": ["CALLBACK", "EMAIL"]}]}}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input(MESSAGE_ACD_START, queuedSnapshot(), "acd.start")));
    assertEquals(NOT_MATCHED, filter.match(input(CALLBACK_ACD_START, queuedSnapshot(), "acd.start")));
  }

  @Test
  void verifiesThatAnythingButExcludesAPrefix() {
    EventFilter filter = filter("""
        {"detail": {"eventBody": {"ani": [{"anything-but": {"prefix": "tel:+1555"}}]}}}""");
    assertEquals(NOT_MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input(withEventBody("eb-voice-04-acd-start.json",
        new JsonObject().put("ani", "tel:+4420799900")), queuedSnapshot(), "acd.start", false)));
  }

  @Test
  void verifiesThatNumericRangesCompareJsonNumbersOnly() {
    EventFilter atLeast80 = filter("""
        {"detail": {"eventBody": {"routingPriority": [{"numeric": [">=", 80]}]}}}""");
    EventFilter oneToFive = filter("""
        {"detail": {"eventBody": {"routingPriority": [{"numeric": [">", 0, "<=", 5]}]}}}""");
    assertEquals(NOT_MATCHED, atLeast80.match(acdStart()));
    assertEquals(MATCHED, atLeast80.match(input(withEventBody("eb-voice-04-acd-start.json",
        new JsonObject().put("routingPriority", 80)), queuedSnapshot(), "acd.start", false)));
    assertEquals(MATCHED, oneToFive.match(input(CALLBACK_ACD_START, queuedSnapshot(), "acd.start")));
    assertEquals(NOT_MATCHED, oneToFive.match(acdStart()));
    // As in EventBridge, "5" as a string is not a number: the wrong-types sample must not slip through.
    assertEquals(NOT_MATCHED, oneToFive.match(input(withEventBody("edge-wrong-types.json",
        new JsonObject().put("routingPriority", "5")), queuedSnapshot(), "acd.start", false)));
  }

  @Test
  void verifiesThatExistsTestsPresenceAndAbsenceOfLeaves() {
    EventFilter queued = filter("""
        {"detail": {"eventBody": {"queueId": [{"exists": true}]}}}""");
    EventFilter noTier = filter("""
        {"conversation": {"attributes": {"tier": [{"exists": false}]}}}""");
    assertEquals(MATCHED, queued.match(acdStart()));
    assertEquals(NOT_MATCHED, queued.match(input(CUSTOMER_START, queuedSnapshot(), "customer.start")));
    assertEquals(NOT_MATCHED, noTier.match(acdStart()));
    JsonObject noAttributes = new JsonObject().put("state", "queued");
    assertEquals(MATCHED, noTier.match(input("eb-voice-04-acd-start.json", noAttributes, "acd.start")));
  }

  @Test
  void verifiesThatOrMatchesWhenAnyBranchDoes() {
    EventFilter filter = filter("""
        {"detail": {"eventBody": {"direction": ["INBOUND"]}},
         "$or": [{"detail": {"eventBody": {"mediaType": ["CALLBACK"]}}},
                 {"conversation": {"state": ["queued"]}}]}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input(CALLBACK_ACD_START, new JsonObject().put("state", "connected"), "acd.start")));
    JsonObject connected = new JsonObject().put("state", "connected");
    assertEquals(NOT_MATCHED, filter.match(input("eb-voice-04-acd-start.json", connected, "acd.start")));
  }

  @Test
  void verifiesThatEqualsIgnoreCaseMatchesTheWrongCaseSample() {
    EventFilter filter = filter("""
        {"detail": {"eventBody": {"mediaType": [{"equals-ignore-case": "VOICE"}]}},
         "conversation": {"state": [{"equals-ignore-case": "QUEUED"}]}}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input("edge-wrong-types.json", queuedSnapshot(), "acd.start")));
    assertEquals(NOT_MATCHED, filter.match(input(MESSAGE_ACD_START, queuedSnapshot(), "acd.start")));
  }

  @Test
  void verifiesThatWildcardMatchesAnyRunOfCharacters() {
    EventFilter filter = filter("""
        {"detail-type": [{"wildcard": "v2.detail.events.conversation.*.acd.*"}]}""");
    assertEquals(MATCHED, filter.match(acdStart()));
    assertEquals(MATCHED, filter.match(input("eb-voice-05-acd-end.json", queuedSnapshot(), "acd.end")));
    assertEquals(NOT_MATCHED, filter.match(input(CUSTOMER_START, queuedSnapshot(), "customer.start")));
  }

  @Test
  void verifiesThatFieldsFromDifferentArrayElementsAreNeverPaired() {
    // Why rulesForJSONEvent: EventBridge matches arrays element-consistently, and so must we.
    EventFilter filter = filter("""
        {"conversation": {"participants": {"purpose": ["agent"], "state": ["disconnected"]}}}""");
    JsonObject snapshot = queuedSnapshot().put("participants", new JsonArray()
        .add(new JsonObject().put("purpose", "agent").put("state", "connected"))
        .add(new JsonObject().put("purpose", "customer").put("state", "disconnected")));
    assertEquals(NOT_MATCHED, filter.match(input("eb-voice-04-acd-start.json", snapshot, "acd.start")));
    snapshot.getJsonArray("participants").getJsonObject(0).put("state", "disconnected");
    assertEquals(MATCHED, filter.match(input("eb-voice-04-acd-start.json", snapshot, "acd.start")));
  }
}
