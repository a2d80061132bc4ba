package io.switchboard.genesys;

import io.switchboard.it.Samples;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies the enrichment summary built from a REST Conversation and how it is spliced into a snapshot. */
class ConversationSummaryTest {

  private static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  private static final String AGENT = "2a82977a-fb91-4f81-b300-33f719a7ae7a";

  @Test
  void verifiesThatTheVoiceSampleIsSummarisedByPurposeWithItsQueuesUsersWrapupsAndDivisions() {
    JsonObject summary = ConversationSummary.of(Samples.json("api-get-conversation-voice-ended.json"), 1234L);
    JsonObject participants = summary.getJsonObject("participants");
    assertEquals(java.util.List.of("customer", "ivr", "acd", "agent"), java.util.List.copyOf(participants.fieldNames()));
    assertEquals(new JsonObject().put("count", 1).put("ids", new JsonArray().add("e64f6f80-e860-428f-9814-c850e0fd6993")),
        participants.getJsonObject("agent"));
    assertEquals(new JsonArray().add("387a393b-c754-489c-bc96-3e77d485ea05"),
        participants.getJsonObject("customer").getJsonArray("ids"));
    assertEquals(new JsonArray().add("voice"), summary.getJsonArray("mediaTypes"));
    assertEquals(new JsonArray().add(QUEUE), summary.getJsonArray("queueIds"), "queueId and routing data, once");
    assertEquals(new JsonArray().add(AGENT), summary.getJsonArray("userIds"));
    assertEquals(new JsonArray().add("38b3e5ca-d594-4b8f-8c91-53f271079c7d"), summary.getJsonArray("wrapupCodes"));
    assertEquals(new JsonArray().add("68679295-0223-4b5d-aecb-656d77977de2"), summary.getJsonArray("divisionIds"));
    assertTrue(summary.getBoolean("ended"));
    assertEquals(1234L, summary.getLong("fetchedAt"));
    int bytes = summary.toBuffer().length();
    assertTrue(bytes < 700, "a few hundred bytes, got " + bytes + ": " + summary.encode());
    String text = summary.encode();
    assertFalse(text.contains("Georgia") || text.contains("tel:") || text.contains("Refund"),
        "no names, addresses or notes: " + text);
  }

  @Test
  void verifiesThatOddOrHugeInputIsBoundedAndNeverThrows() {
    JsonArray participants = new JsonArray().add("not an object").add(new JsonObject().put("purpose", 7));
    for (int i = 0; i < 100; i++) {
      participants.add(new JsonObject().put("id", "p" + i).put("purpose", "Agent").put("userId", "u" + i)
          .put("queueId", "x".repeat(500)).put("messages", new JsonArray().add(new JsonObject()
              .put("wrapup", new JsonObject().put("code", "w" + (i % 3))))));
    }
    JsonObject summary = ConversationSummary.of(new JsonObject().put("participants", participants)
        .put("divisions", "nope"), 1L);
    assertEquals(100, summary.getJsonObject("participants").getJsonObject("agent").getInteger("count"));
    assertEquals(ConversationSummary.MAX_IDS,
        summary.getJsonObject("participants").getJsonObject("agent").getJsonArray("ids").size());
    assertEquals(1, summary.getJsonObject("participants").getJsonObject("unknown").getInteger("count"));
    assertEquals(ConversationSummary.MAX_IDS, summary.getJsonArray("userIds").size());
    assertEquals(new JsonArray(), summary.getJsonArray("queueIds"), "values longer than an id are dropped");
    assertEquals(new JsonArray().add("w0").add("w1").add("w2"), summary.getJsonArray("wrapupCodes"));
    assertEquals(new JsonArray().add("message"), summary.getJsonArray("mediaTypes"));
    assertFalse(summary.getBoolean("ended"));
    assertEquals(new JsonArray(), summary.getJsonArray("divisionIds"));
  }

  @Test
  void verifiesThatTheSummaryIsSplicedIntoTheSnapshotAsItsLastKey() {
    byte[] summary = new JsonObject().put("queueIds", new JsonArray().add("q")).toBuffer().getBytes();
    Buffer snapshot = new JsonObject().put("id", "c").put("state", "queued").toBuffer();
    JsonObject spliced = new JsonObject(ConversationSummary.splice(snapshot, summary));
    assertEquals(new JsonObject().put("id", "c").put("state", "queued")
        .put("enrichment", new JsonObject().put("queueIds", new JsonArray().add("q"))), spliced);
    assertEquals(new JsonObject().put("enrichment", new JsonObject().put("queueIds", new JsonArray().add("q"))),
        new JsonObject(ConversationSummary.splice(Buffer.buffer("{ }\n"), summary)));
    assertEquals(snapshot, ConversationSummary.splice(snapshot, null));
    assertNull(ConversationSummary.splice(null, summary));
    assertThrows(IllegalArgumentException.class, () -> ConversationSummary.splice(Buffer.buffer("[]"), summary));
  }
}
