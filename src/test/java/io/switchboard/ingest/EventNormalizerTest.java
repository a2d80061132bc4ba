package io.switchboard.ingest;

import io.switchboard.ingest.NormalizeResult.Ignored;
import io.switchboard.ingest.NormalizeResult.Normalized;
import io.switchboard.ingest.NormalizeResult.Rejected;
import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("EventNormalizer")
class EventNormalizerTest {

  private static final String VOICE = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
  private static final String MULTI = "9312dbdd-99ad-4710-8139-538c8c0702ed";
  private static final Ticket TICKET = new Ticket("ingest.settle.test", 42);
  private static final long INGESTED_AT = 1_741_800_000_000L;

  /** Every sample file and the test that covers it; the coverage test fails when a new sample appears. */
  private static final Set<String> COVERED_ELSEWHERE = Set.of(
      "README.md",
      "ws-msg-detail-acd-start.json", "ws-msg-heartbeat.json", "ws-msg-system-socket-closing.json",
      "ws-msg-queue-conversation-voice-agent-connected.json",
      "edge-detail-type-topic-mismatch.json", "edge-duplicate-redelivery-acd-end.json",
      "edge-invalid-json-truncated.txt", "edge-missing-conversation-id.json", "edge-null-event-body.json",
      "edge-oversized-attributes.json", "edge-unknown-topic.json", "edge-wrong-types.json");

  private final EventNormalizer strict = new EventNormalizer(TestSupport.schemas(), true);

  private NormalizeResult normalize(String sample) {
    return normalize(strict, TestSupport.sampleBytes(sample));
  }

  private static NormalizeResult normalize(EventNormalizer normalizer, Buffer bytes) {
    return normalizer.normalize((JsonObject) bytes.toJsonValue(), bytes, "eventbridge", TICKET, INGESTED_AT);
  }

  private static PipelineEvent normalized(NormalizeResult result) {
    return assertInstanceOf(Normalized.class, result, () -> "expected Normalized but got " + result).event();
  }

  private static Rejected rejected(NormalizeResult result) {
    return assertInstanceOf(Rejected.class, result, () -> "expected Rejected but got " + result);
  }

  @ParameterizedTest(name = "verifies that {0} normalizes to a {3} event at {4}")
  @CsvSource({
      "eb-multi-01-message-customer-start.json, 4db8b0c8-49eb-41e1-a246-db1e2ab643a3, multi, customer.start, 1741775400250, MESSAGE, bc9fc3f8-8f6d-4a62-b787-7b701678adf4, b4622f7a-8565-4c01-af75-db0ebf4bb045, , ",
      "eb-multi-02-message-acd-start.json, a7843da2-231f-43f5-b095-ff59c3815a5c, multi, acd.start, 1741775402560, MESSAGE, 38f00534-ea93-4ba0-a3b2-9473edd52105, be413085-f2cf-40c4-8b13-a24f89dc8ce8, b74770d1-1b52-4159-8687-8bc3af71001a, ",
      "eb-multi-03-message-acd-end.json, 9d6811ba-6e16-4c5f-a8fa-a75aac1aec09, multi, acd.end, 1741775496130, MESSAGE, 38f00534-ea93-4ba0-a3b2-9473edd52105, be413085-f2cf-40c4-8b13-a24f89dc8ce8, b74770d1-1b52-4159-8687-8bc3af71001a, 216096bd-8d9a-4fce-9c0d-97b965d721b4",
      "eb-multi-04-message-user-start.json, 9febbd27-eb65-4756-a57b-33daf65d9cbe, multi, user.start, 1741775496143, MESSAGE, 493c83aa-8245-4f85-847c-e62088c72ecd, 73dc7e00-9429-49a0-a3b4-cdcd6b26f8cc, b74770d1-1b52-4159-8687-8bc3af71001a, 216096bd-8d9a-4fce-9c0d-97b965d721b4",
      "eb-multi-05-message-user-end.json, 85131659-24ca-47da-ac5f-2166385d83e8, multi, user.end, 1741776011652, MESSAGE, 493c83aa-8245-4f85-847c-e62088c72ecd, 73dc7e00-9429-49a0-a3b4-cdcd6b26f8cc, b74770d1-1b52-4159-8687-8bc3af71001a, 216096bd-8d9a-4fce-9c0d-97b965d721b4",
      "eb-multi-06-callback-acd-start.json, dd3ea725-ba1e-43a2-9fd5-1948037dd9db, multi, acd.start, 1741776012200, CALLBACK, f8091775-2cbd-4ee2-9c5d-f350a9f9b5e2, df1b70a1-e63d-4b72-905d-f6ee271e7865, c3f1b5d3-98db-45a6-a20b-2cf0dd311efa, ",
      "eb-multi-07-callback-acd-end.json, 7303afc4-4b2a-4d81-baa0-352478ea31e1, multi, acd.end, 1741779022730, CALLBACK, f8091775-2cbd-4ee2-9c5d-f350a9f9b5e2, df1b70a1-e63d-4b72-905d-f6ee271e7865, c3f1b5d3-98db-45a6-a20b-2cf0dd311efa, f8b3cb98-30b5-4965-98ee-d4e24b98109a",
      "eb-multi-08-callback-user-start.json, 7a4c7840-f8ce-495b-baa3-91859880490d, multi, user.start, 1741779022745, CALLBACK, ab2a9e26-5227-40b8-b496-68efbcd4e5fc, 0837f37a-1cc1-490c-9421-88b3516604ad, c3f1b5d3-98db-45a6-a20b-2cf0dd311efa, f8b3cb98-30b5-4965-98ee-d4e24b98109a",
      "eb-multi-09-callback-user-end.json, 21a6b6a3-271e-48fd-8bfc-84e35f4131e6, multi, user.end, 1741779271270, CALLBACK, ab2a9e26-5227-40b8-b496-68efbcd4e5fc, 0837f37a-1cc1-490c-9421-88b3516604ad, c3f1b5d3-98db-45a6-a20b-2cf0dd311efa, f8b3cb98-30b5-4965-98ee-d4e24b98109a",
      "eb-multi-10-callback-acw.json, c216c325-c201-4ac5-a005-9247518e80fd, multi, acw, 1741779305583, CALLBACK, ab2a9e26-5227-40b8-b496-68efbcd4e5fc, 0837f37a-1cc1-490c-9421-88b3516604ad, c3f1b5d3-98db-45a6-a20b-2cf0dd311efa, f8b3cb98-30b5-4965-98ee-d4e24b98109a",
      "eb-multi-11-message-customer-end.json, 52671835-6370-46bb-b998-d8f7c3ff24e1, multi, customer.end, 1741779512300, MESSAGE, bc9fc3f8-8f6d-4a62-b787-7b701678adf4, b4622f7a-8565-4c01-af75-db0ebf4bb045, , ",
      "eb-voice-01-customer-start.json, beca09a8-e888-4445-8cf0-ac10c62ea116, voice, customer.start, 1741701727412, VOICE, 387a393b-c754-489c-bc96-3e77d485ea05, 157cae38-9013-4eb1-81bd-5e3ffd632556, , ",
      "eb-voice-02-flow-start.json, 9238cb78-953f-4fd2-83ca-4e8a4701500e, voice, flow.start, 1741701727552, VOICE, 23a5fb0f-5ac5-4383-83b0-22c57e7dab75, 764b7315-b068-4ba6-8f76-44e796b3b4ab, , ",
      "eb-voice-03-flow-end.json, 692ceee9-c5ab-45e3-84a8-c222832fd88f, voice, flow.end, 1741701748892, VOICE, 23a5fb0f-5ac5-4383-83b0-22c57e7dab75, 764b7315-b068-4ba6-8f76-44e796b3b4ab, , ",
      "eb-voice-04-acd-start.json, 17a6aa31-f9d9-4b41-8f0a-9982c18c7d2a, voice, acd.start, 1741701749022, VOICE, 9a7993db-adf6-4194-84cc-0f11d3013f86, 49ca8286-e126-406e-b164-a88dfd0c1063, ebcf5b0a-adb4-425b-be58-1e1d0ee59938, ",
      "eb-voice-05-acd-end.json, 8977b6fd-42be-483f-b478-871213ae0180, voice, acd.end, 1741701795506, VOICE, 9a7993db-adf6-4194-84cc-0f11d3013f86, 49ca8286-e126-406e-b164-a88dfd0c1063, ebcf5b0a-adb4-425b-be58-1e1d0ee59938, 2a82977a-fb91-4f81-b300-33f719a7ae7a",
      "eb-voice-06-user-start.json, 6b366156-610e-4987-a0ce-958bccd92229, voice, user.start, 1741701795514, VOICE, e64f6f80-e860-428f-9814-c850e0fd6993, 1797d7db-7de2-406e-b70d-0dc203a1df9d, ebcf5b0a-adb4-425b-be58-1e1d0ee59938, 2a82977a-fb91-4f81-b300-33f719a7ae7a",
      "eb-voice-07-attributes.json, 2bdf8ae9-a49a-4dad-91ad-a1ee4f9636be, voice, attributes, 1741701797723, VOICE, 387a393b-c754-489c-bc96-3e77d485ea05, , , ",
      "eb-voice-08-customer-end.json, 3b6c8afc-f337-489f-b8d1-65223885e747, voice, customer.end, 1741702139442, VOICE, 387a393b-c754-489c-bc96-3e77d485ea05, 157cae38-9013-4eb1-81bd-5e3ffd632556, , ",
      "eb-voice-09-user-end.json, 977bd107-c4b5-4462-8a31-2910de4bbfa5, voice, user.end, 1741702139458, VOICE, e64f6f80-e860-428f-9814-c850e0fd6993, 1797d7db-7de2-406e-b70d-0dc203a1df9d, ebcf5b0a-adb4-425b-be58-1e1d0ee59938, 2a82977a-fb91-4f81-b300-33f719a7ae7a",
      "eb-voice-10-acw.json, 02b13fc2-3484-4184-bea0-d72c4c124ecc, voice, acw, 1741702182514, VOICE, e64f6f80-e860-428f-9814-c850e0fd6993, 1797d7db-7de2-406e-b70d-0dc203a1df9d, ebcf5b0a-adb4-425b-be58-1e1d0ee59938, 2a82977a-fb91-4f81-b300-33f719a7ae7a",
  })
  void verifiesThatEveryEventBridgeSampleNormalizes(String sample, String eventId, String conversation,
      String eventType, long eventTime, String mediaType, String participantId, String sessionId, String queueId,
      String userId) {
    Buffer bytes = TestSupport.sampleBytes(sample);
    JsonObject json = (JsonObject) bytes.toJsonValue();
    String before = json.encode();

    PipelineEvent event = normalized(strict.normalize(json, bytes, "eventbridge", TICKET, INGESTED_AT));

    assertEquals(eventId, event.eventId());
    assertEquals(conversation.equals("voice") ? VOICE : MULTI, event.conversationId());
    assertEquals(eventType, event.eventType());
    assertEquals(json.getJsonObject("detail").getString("topicName"), event.topicName());
    assertEquals(eventTime, event.eventTime());
    assertEquals(mediaType, event.mediaType());
    assertEquals(participantId, event.participantId());
    assertEquals(sessionId, event.sessionId());
    assertEquals(queueId, event.queueId());
    assertEquals(userId, event.userId());
    assertTrue(event.fingerprint().matches("[0-9a-f]{32}"), event.fingerprint());
    assertEquals("eventbridge", event.source());
    assertSame(TICKET, event.ticket());
    assertEquals(INGESTED_AT, event.ingestedAt());
    assertFalse(event.late());
    assertSame(bytes, event.payload(), "payload must be the verbatim bytes, not a re-encoding");
    assertSame(json.getJsonObject("detail").getJsonObject("eventBody").getMap(), event.eventBody().getMap(),
        "eventBody must share the parsed body, not copy it");
    assertEquals(before, json.encode(), "normalising must not mutate the parsed message");
  }

  @Test
  @DisplayName("verifies that the WebSocket acd.start has no event id and the fingerprint of its EventBridge twin")
  void verifiesThatWebSocketDetailMessageMatchesEnvelopeFingerprint() {
    PipelineEvent socket = normalized(normalize("ws-msg-detail-acd-start.json"));
    PipelineEvent envelope = normalized(normalize("eb-voice-04-acd-start.json"));

    assertNull(socket.eventId());
    assertEquals(envelope.fingerprint(), socket.fingerprint());
    assertEquals(socket.fingerprint(), socket.key());
    assertEquals(VOICE, socket.conversationId());
    assertEquals(Topics.ACD_START, socket.eventType());
    assertEquals(1741701749022L, socket.eventTime());
    assertEquals("VOICE", socket.mediaType());
    assertEquals("ebcf5b0a-adb4-425b-be58-1e1d0ee59938", socket.queueId());
  }

  @ParameterizedTest(name = "verifies that {0} is acknowledged but ignored")
  @ValueSource(strings = {"ws-msg-heartbeat.json", "ws-msg-system-socket-closing.json",
      "ws-msg-queue-conversation-voice-agent-connected.json"})
  void verifiesThatNonDetailWebSocketMessagesAreIgnored(String sample) {
    NormalizeResult result = normalize(sample);

    Ignored ignored = assertInstanceOf(Ignored.class, result, () -> "got " + result);
    assertFalse(ignored.why().isBlank());
  }

  @Test
  @DisplayName("verifies that snapshot topics are ignored when they arrive in an EventBridge envelope too")
  void verifiesThatEnvelopedSnapshotTopicIsIgnored() {
    JsonObject json = TestSupport.sample("eb-voice-04-acd-start.json");
    json.put("detail-type", "v2.users.{id}.conversations.calls");
    json.getJsonObject("detail").put("topicName", "v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.conversations.calls");

    assertInstanceOf(Ignored.class, strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));
  }

  @Test
  @DisplayName("verifies that a missing eventBody.conversationId is recovered from the topic name")
  void verifiesThatMissingConversationIdIsRecoveredFromTopic() {
    PipelineEvent event = normalized(normalize("edge-missing-conversation-id.json"));

    assertEquals(VOICE, event.conversationId());
    assertEquals(Topics.USER_START, event.eventType());
    assertEquals("c580089e-7deb-41f4-a41b-0891ed9ee00e", event.eventId());
    assertEquals("2a82977a-fb91-4f81-b300-33f719a7ae7a", event.userId());
  }

  @Test
  @DisplayName("verifies that wrong types are rejected as schema_invalid naming every bad field")
  void verifiesThatWrongTypesAreRejectedWithEveryLocation() {
    Rejected rejected = rejected(normalize("edge-wrong-types.json"));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    String error = rejected.error();
    assertTrue(error.contains("/detail/eventBody/eventTime: expected integer, got string"), error);
    assertTrue(error.contains("/detail/eventBody/routingPriority: expected"), error);
    assertTrue(error.contains("/detail/eventBody/requestedRoutingSkillIds: expected"), error);
    assertTrue(error.contains("/detail/version: expected string, got number"), error);
    assertFalse(error.contains("mediaType"), "lower-case mediaType is not a type error: " + error);
    assertEquals("806cf6e9-638e-44ae-8ea6-c18de5c543c6", rejected.eventId());
    assertEquals(VOICE, rejected.conversationId());
  }

  @Test
  @DisplayName("verifies that a null eventBody is rejected as schema_invalid with a clear message")
  void verifiesThatNullEventBodyIsRejected() {
    Rejected rejected = rejected(normalize("edge-null-event-body.json"));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertEquals("/detail/eventBody: expected object, got null", rejected.error());
    assertEquals("76b731e1-1786-4b8b-aef4-a7e7b40c8e5a", rejected.eventId());
    assertEquals(VOICE, rejected.conversationId(), "the topic still names the conversation");
  }

  @Test
  @DisplayName("verifies that a null eventBody in a WebSocket message is rejected as schema_invalid")
  void verifiesThatNullEventBodyInNotificationIsRejected() {
    JsonObject json = TestSupport.sample("ws-msg-detail-acd-start.json").putNull("eventBody");

    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "websocket", TICKET, INGESTED_AT));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertEquals("/eventBody: expected object, got null", rejected.error());
  }

  @Test
  @DisplayName("verifies that an unknown topic suffix is kept verbatim as the event type")
  void verifiesThatUnknownTopicIsNormalizedWithItsSuffix() {
    PipelineEvent event = normalized(normalize("edge-unknown-topic.json"));

    assertEquals("sentiment.changed", event.eventType());
    assertEquals(VOICE, event.conversationId());
    assertEquals(1741701817412L, event.eventTime());
    assertEquals("387a393b-c754-489c-bc96-3e77d485ea05", event.participantId());
    assertNull(event.mediaType());
  }

  @Test
  @DisplayName("verifies that an unknown event type without eventTime is rejected as schema_invalid")
  void verifiesThatUnknownTypeWithoutEventTimeIsRejected() {
    JsonObject json = TestSupport.sample("edge-unknown-topic.json");
    json.getJsonObject("detail").getJsonObject("eventBody").remove("eventTime");

    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertTrue(rejected.error().startsWith("/detail/eventBody/eventTime"), rejected.error());
  }

  @Test
  @DisplayName("verifies that a detail-type disagreeing with the topic is rejected as type_mismatch when strict")
  void verifiesThatDetailTypeTopicMismatchIsRejected() {
    Rejected rejected = rejected(normalize("edge-detail-type-topic-mismatch.json"));

    assertEquals(Reason.TYPE_MISMATCH, rejected.reason());
    assertEquals("type_mismatch", rejected.reason().code());
    assertTrue(rejected.error().contains("acd.start") && rejected.error().contains("user.start"), rejected.error());
    assertEquals("ed4d374f-99d4-4801-948c-a0f12a9996dd", rejected.eventId());
    assertEquals(VOICE, rejected.conversationId());
  }

  @Test
  @DisplayName("verifies that the concrete topic decides the type when agreement is not strict")
  void verifiesThatLenientNormalizerTrustsTheTopic() {
    EventNormalizer lenient = new EventNormalizer(TestSupport.schemas(), false);

    PipelineEvent event = normalized(normalize(lenient, TestSupport.sampleBytes("edge-detail-type-topic-mismatch.json")));

    assertEquals(Topics.USER_START, event.eventType());
  }

  @Test
  @DisplayName("verifies that an attributes event over the old 256 KB limit normalizes")
  void verifiesThatOversizedAttributesNormalize() {
    Buffer bytes = TestSupport.sampleBytes("edge-oversized-attributes.json");

    PipelineEvent event = normalized(normalize(strict, bytes));

    assertTrue(bytes.length() > 256 * 1024);
    assertEquals(Topics.ATTRIBUTES, event.eventType());
    assertEquals("VOICE", event.mediaType());
    assertNull(event.sessionId());
    assertEquals(320, event.eventBody().getJsonObject("attributes").size());
    assertSame(bytes, event.payload());
  }

  @Test
  @DisplayName("verifies that a redelivery has the same event id and fingerprint as the original")
  void verifiesThatRedeliveryMatchesOriginal() {
    PipelineEvent original = normalized(normalize("eb-voice-05-acd-end.json"));
    PipelineEvent redelivery = normalized(normalize("edge-duplicate-redelivery-acd-end.json"));

    assertEquals(original.eventId(), redelivery.eventId());
    assertEquals(original.fingerprint(), redelivery.fingerprint());
    assertEquals(original.key(), redelivery.key());
  }

  @Test
  @DisplayName("verifies that a re-published event (new envelope id, same body) keeps its fingerprint")
  void verifiesThatRepublishKeepsFingerprint() {
    PipelineEvent original = normalized(normalize("eb-voice-05-acd-end.json"));
    JsonObject republished = TestSupport.sample("eb-voice-05-acd-end.json")
        .put("id", "0b0b1c4e-5f0f-4d8c-9c52-54a1f0f0e001")
        .put("time", "2025-03-11T14:05:00Z");
    republished.getJsonObject("detail").put("timestamp", "2025-03-11T14:05:00.123Z")
        .getJsonObject("metadata").put("CorrelationId", "e3a6c0c9-6b2a-4b8e-9a55-1c6a7a0d2f10");

    PipelineEvent again = normalized(strict.normalize(republished, republished.toBuffer(), "eventbridge", TICKET,
        INGESTED_AT));

    assertNotEquals(original.eventId(), again.eventId());
    assertEquals(original.fingerprint(), again.fingerprint());
  }

  @Test
  @DisplayName("verifies that a different body gives a different fingerprint")
  void verifiesThatChangedBodyChangesFingerprint() {
    PipelineEvent original = normalized(normalize("eb-voice-05-acd-end.json"));
    JsonObject changed = TestSupport.sample("eb-voice-05-acd-end.json");
    changed.getJsonObject("detail").getJsonObject("eventBody").put("connectedDurationMs", 46485);

    PipelineEvent other = normalized(strict.normalize(changed, changed.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertNotEquals(original.fingerprint(), other.fingerprint());
  }

  @Test
  @DisplayName("verifies that the truncated sample is not parseable JSON")
  void verifiesThatTruncatedSampleFailsToParse() {
    Buffer bytes = TestSupport.sampleBytes("edge-invalid-json-truncated.txt");

    assertThrows(DecodeException.class, bytes::toJsonValue);
    assertThrows(DecodeException.class, () -> new JsonObject(bytes));
  }

  @ParameterizedTest(name = "verifies that the REST body {0} is rejected as unrecognised_shape")
  @ValueSource(strings = {"api-analytics-details-job-results-page.json", "api-analytics-details-job-status-fulfilled.json",
      "api-error-429-rate-limited.json", "api-get-conversation-voice-ended.json", "api-notifications-channel-created.json",
      "api-notifications-subscriptions-response.json", "api-oauth-token-response.json"})
  void verifiesThatRestBodiesAreUnrecognisedShapes(String sample) {
    Rejected rejected = rejected(normalize(sample));

    assertEquals(Reason.UNRECOGNISED_SHAPE, rejected.reason());
    assertNull(rejected.eventId());
  }

  @ParameterizedTest(name = "verifies that mediaType {0} is normalised to {1}")
  @CsvSource({"voice, VOICE", "Message, MESSAGE", "hologram, HOLOGRAM", "VOICE, VOICE"})
  void verifiesThatMediaTypeIsUpperCasedAndUnknownValuesKept(String given, String expected) {
    JsonObject json = TestSupport.sample("eb-voice-04-acd-start.json");
    json.getJsonObject("detail").getJsonObject("eventBody").put("mediaType", given);

    PipelineEvent event = normalized(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals(expected, event.mediaType());
    assertEquals(given, event.eventBody().getString("mediaType"), "the body keeps what Genesys sent");
  }

  @Test
  @DisplayName("verifies that unknown enum values, null optional fields and new fields are accepted")
  void verifiesThatEvolvingPayloadsAreAccepted() {
    JsonObject json = TestSupport.sample("eb-voice-05-acd-end.json");
    json.getJsonObject("detail").getJsonObject("eventBody")
        .put("disconnectType", "QUANTUM_TUNNEL")
        .put("acdOutcome", "SOMETHING_NEW")
        .putNull("requestedLanguageId")
        .put("brandNewField", new JsonObject().put("nested", 1));
    json.put("newEnvelopeField", true);

    PipelineEvent event = normalized(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals("QUANTUM_TUNNEL", event.eventBody().getString("disconnectType"));
  }

  @Test
  @DisplayName("verifies that acd.end prefers userId over answeredUserId when both are present")
  void verifiesThatUserIdWinsOverAnsweredUserId() {
    JsonObject json = TestSupport.sample("eb-voice-05-acd-end.json");
    json.getJsonObject("detail").getJsonObject("eventBody").put("userId", "11111111-2222-3333-4444-555555555555");

    PipelineEvent event = normalized(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals("11111111-2222-3333-4444-555555555555", event.userId());
  }

  @ParameterizedTest(name = "verifies that a {0} longer than the limit is rejected as schema_invalid")
  @ValueSource(strings = {"conversationId", "participantId", "sessionId", "queueId", "userId", "mediaType"})
  void verifiesThatOverlongKeptFieldsAreRejected(String field) {
    JsonObject json = TestSupport.sample("eb-voice-04-acd-start.json");
    JsonObject body = json.getJsonObject("detail").getJsonObject("eventBody");
    body.put(field, "x".repeat(EventNormalizer.MAX_KEPT_LENGTH));
    assertInstanceOf(Normalized.class, strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    body.put(field, "x".repeat(EventNormalizer.MAX_KEPT_LENGTH + 1));
    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertTrue(rejected.error().startsWith(field + ": 257 characters"), rejected.error());
  }

  @Test
  @DisplayName("verifies that an overlong envelope id or topic suffix is rejected as schema_invalid")
  void verifiesThatOverlongIdAndEventTypeAreRejected() {
    JsonObject json = TestSupport.sample("eb-voice-04-acd-start.json").put("id", "i".repeat(1000));
    JsonObject unknownType = TestSupport.sample("edge-unknown-topic.json");
    JsonObject detail = unknownType.getJsonObject("detail");
    detail.put("topicName", detail.getString("topicName").replace("sentiment.changed", "t".repeat(300)));

    assertEquals("id: 1000 characters, more than the 256 allowed",
        rejected(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT)).error());
    assertTrue(rejected(new EventNormalizer(TestSupport.schemas(), false)
            .normalize(unknownType, unknownType.toBuffer(), "eventbridge", TICKET, INGESTED_AT)).error()
        .startsWith("event type"));
  }

  @Test
  @DisplayName("verifies that a topic outside conversation detail events is rejected as unsupported_topic")
  void verifiesThatOtherTopicsAreUnsupported() {
    JsonObject json = new JsonObject()
        .put("topicName", "v2.detail.events.agent.2a82977a-fb91-4f81-b300-33f719a7ae7a.state")
        .put("version", "2")
        .put("eventBody", new JsonObject().put("eventTime", 1741701795514L));

    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "websocket", TICKET, INGESTED_AT));

    assertEquals(Reason.UNSUPPORTED_TOPIC, rejected.reason());
  }

  @Test
  @DisplayName("verifies that no conversation id in body or topic is rejected as missing_conversation_id")
  void verifiesThatUnrecoverableConversationIdIsRejected() {
    JsonObject json = TestSupport.sample("edge-missing-conversation-id.json");
    json.getJsonObject("detail").put("topicName", "v2.detail.events.conversation.{id}.user.start");

    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals(Reason.MISSING_CONVERSATION_ID, rejected.reason());
    assertEquals("c580089e-7deb-41f4-a41b-0891ed9ee00e", rejected.eventId());
    assertNull(rejected.conversationId());
  }

  @Test
  @DisplayName("verifies that a message missing required envelope fields is rejected as schema_invalid")
  void verifiesThatIncompleteEnvelopeIsRejected() {
    JsonObject json = TestSupport.sample("eb-voice-01-customer-start.json");
    json.remove("source");
    json.getJsonObject("detail").remove("topicName");

    Rejected rejected = rejected(strict.normalize(json, json.toBuffer(), "eventbridge", TICKET, INGESTED_AT));

    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertTrue(rejected.error().contains("/source: required property missing"), rejected.error());
    assertTrue(rejected.error().contains("/detail/topicName: required property missing"), rejected.error());
  }

  @Test
  @DisplayName("verifies that a registry without the required schemas is refused at construction")
  void verifiesThatIncompleteRegistryIsRefused() {
    Map<String, JsonObject> onlyEnvelope = new HashMap<>();
    onlyEnvelope.put(SchemaRegistry.ENVELOPE, new JsonObject());

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new EventNormalizer(new SchemaRegistry(onlyEnvelope), true));

    assertTrue(e.getMessage().contains("notification") && e.getMessage().contains("acd.end"), e.getMessage());
  }

  @Test
  @DisplayName("verifies that every sample file is covered by a test")
  void verifiesThatEverySampleIsCovered() throws IOException {
    Set<String> files;
    try (Stream<java.nio.file.Path> list = Files.list(TestSupport.SAMPLE_DIR)) {
      files = list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> uncovered = new TreeSet<>(files);
    uncovered.removeIf(name -> name.startsWith("eb-") || name.startsWith("api-") || COVERED_ELSEWHERE.contains(name));

    assertEquals(Set.of(), uncovered, "samples without a test");
    assertEquals(21, files.stream().filter(name -> name.startsWith("eb-")).count(), "eb-* rows in the table above");
    assertEquals(7, files.stream().filter(name -> name.startsWith("api-")).count(), "api-* values above");
  }

  @Test
  @DisplayName("a number beyond a double's range is schema_invalid, not an internal error")
  void aNumberOutOfRangeIsBadInput() {
    JsonObject json = (JsonObject) TestSupport.sampleBytes("eb-voice-04-acd-start.json").toJsonValue();
    json.getJsonObject("detail").getJsonObject("eventBody").put("extra", "PLACE");
    Buffer bytes = Buffer.buffer(json.encode().replace("\"PLACE\"", "-1e400"));
    Rejected rejected = rejected(normalize(strict, bytes));
    assertEquals(Reason.SCHEMA_INVALID, rejected.reason());
    assertTrue(rejected.error().contains("out of range"), rejected.error());
  }
}
