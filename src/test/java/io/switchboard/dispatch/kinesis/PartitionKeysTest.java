package io.switchboard.dispatch.kinesis;

import io.switchboard.config.ConfigNode;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class PartitionKeysTest {

  private static final String CONVERSATION = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
  private static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";

  private static ProcessedEvent event(String queueId, JsonObject envelope) {
    JsonObject body = envelope.getJsonObject("detail", new JsonObject()).getJsonObject("eventBody", new JsonObject());
    PipelineEvent e = new PipelineEvent(new Ticket("t", 1), "test", "id-1", "fp", CONVERSATION, "acd.start",
        "v2.detail.events.conversation." + CONVERSATION + ".acd.start", 1L, 2L, "VOICE", null, null, queueId, null,
        false, body, envelope.toBuffer());
    return new ProcessedEvent(e, "queued", 1, Buffer.buffer("{}"), 3L);
  }

  private static JsonObject envelope(JsonObject eventBody) {
    return new JsonObject().put("id", "id-1").put("account", "123456789012")
        .put("detail", new JsonObject().put("eventBody", eventBody));
  }

  private static PartitionKeys parse(Object partitionKey) {
    return PartitionKeys.from(new ConfigNode(new JsonObject().put("partitionKey", partitionKey), "t"), "partitionKey");
  }

  @Test
  void verifiesThatTheDefaultIsTheConversationIdVerbatim() {
    PartitionKeys keys = PartitionKeys.from(new ConfigNode(new JsonObject(), "t"), "partitionKey");
    assertEquals(CONVERSATION, keys.keyOf(event(QUEUE, envelope(new JsonObject()))));
    assertEquals("conversation", keys.describe());
  }

  @Test
  void verifiesThatQueueKeysAreTheHashedQueueIdWithTheHashedConversationIdAsFallback() {
    PartitionKeys keys = parse("queue");
    // SHA-256 of the id, first 16 hex characters (printf %s id | sha256sum | cut -c1-16): consumers can compute it
    assertEquals("1986599ad108ef12", PartitionKeys.shortHash(QUEUE));
    assertEquals(PartitionKeys.shortHash(QUEUE), keys.keyOf(event(QUEUE, envelope(new JsonObject()))));
    assertEquals(PartitionKeys.shortHash(CONVERSATION), keys.keyOf(event(null, envelope(new JsonObject()))));
    assertEquals(16, keys.keyOf(event(null, envelope(new JsonObject()))).length());
  }

  @Test
  void verifiesThatAPointerTakesScalarsAndFallsBackToTheConversationForAnythingElse() {
    PartitionKeys keys = parse(new JsonObject().put("pointer", "/detail/eventBody/divisionId"));
    assertEquals("div-7", keys.keyOf(event(null, envelope(new JsonObject().put("divisionId", "div-7")))));
    assertEquals("42", keys.keyOf(event(null, envelope(new JsonObject().put("divisionId", 42)))));
    assertEquals(CONVERSATION, keys.keyOf(event(null, envelope(new JsonObject()))));
    assertEquals(CONVERSATION, keys.keyOf(event(null, envelope(new JsonObject().put("divisionId", "")))));
    assertEquals(CONVERSATION, keys.keyOf(event(null, envelope(new JsonObject().put("divisionId", new JsonObject())))));
    assertEquals("123456789012", parse(new JsonObject().put("pointer", "/account"))
        .keyOf(event(null, envelope(new JsonObject()))));
  }

  @Test
  void verifiesThatAHashedPointerAndAnyKeyOverKinesisLimitAreHashed() {
    PartitionKeys hashed = parse(new JsonObject().put("pointer", "/detail/eventBody/divisionId").put("hash", true));
    assertEquals(PartitionKeys.shortHash("div-7"), hashed.keyOf(event(null, envelope(new JsonObject().put("divisionId", "div-7")))));
    PartitionKeys plain = parse(new JsonObject().put("pointer", "/detail/eventBody/note"));
    String longValue = "n".repeat(257);
    assertEquals(PartitionKeys.shortHash(longValue), plain.keyOf(event(null, envelope(new JsonObject().put("note", longValue)))));
    String fits = "é".repeat(256); // 256 characters, 512 UTF-8 bytes: Kinesis counts characters
    assertEquals(fits, plain.keyOf(event(null, envelope(new JsonObject().put("note", fits)))));
    assertNotEquals(PartitionKeys.shortHash("a"), PartitionKeys.shortHash("b"));
  }
}
