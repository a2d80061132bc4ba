package io.switchboard.verticles;

import io.switchboard.ingest.ItemResult;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestSummaryTest {

  @Test
  void verifiesThatEveryOutcomeIsCountedAndListedInRequestOrder() {
    IngestSummary summary = IngestSummary.of(List.of(
        new ItemResult(0, ItemResult.Status.ACCEPTED, "e1", "c1", null, null, 1),
        new ItemResult(1, ItemResult.Status.DUPLICATE, "e2", "c1", "id", null, 2),
        new ItemResult(2, ItemResult.Status.DEAD_LETTERED, null, null, "schema_invalid",
            "$.detail: \"eventTime\" is required\nand \\ more", 3),
        new ItemResult(3, ItemResult.Status.IGNORED, "e4", null, "unsupported_topic", null, 4)));
    assertFalse(summary.mustRetry());
    assertTrue(summary.json().startsWith("{\"accepted\":1,\"duplicates\":1,\"deadLettered\":1,\"ignored\":1,\"results\":[{"),
        summary.json());
    JsonObject json = new JsonObject(summary.json());
    assertEquals(1, json.getInteger("accepted"));
    assertEquals(1, json.getInteger("duplicates"));
    assertEquals(1, json.getInteger("deadLettered"));
    assertEquals(1, json.getInteger("ignored"));
    assertFalse(json.containsKey("retry"));
    assertEquals(new JsonObject().put("index", 0).put("status", "accepted").put("eventId", "e1")
        .put("conversationId", "c1"), json.getJsonArray("results").getJsonObject(0));
    JsonObject dead = json.getJsonArray("results").getJsonObject(2);
    assertEquals(new JsonObject().put("index", 2).put("status", "dead_lettered").put("reason", "schema_invalid")
        .put("error", "$.detail: \"eventTime\" is required\nand \\ more"), dead);
    assertEquals("duplicate", json.getJsonArray("results").getJsonObject(1).getString("status"));
    assertEquals("ignored", json.getJsonArray("results").getJsonObject(3).getString("status"));
  }

  @Test
  void verifiesThatAnItemThatCouldNotBeAdmittedMakesTheWholeAnswerARetry() {
    IngestSummary summary = IngestSummary.of(List.of(
        new ItemResult(0, ItemResult.Status.ACCEPTED, "e1", "c1", null, null, 1),
        new ItemResult(1, ItemResult.Status.RETRY, "e2", "c2", "unavailable", "Timed out after waiting 5000(ms)", 2)));
    assertTrue(summary.mustRetry());
    JsonObject json = new JsonObject(summary.json());
    assertEquals(1, json.getInteger("retry"));
    assertEquals(1, json.getInteger("accepted"));
    assertEquals("some items could not be admitted; retry the request", json.getString("error"));
    assertEquals("unavailable", json.getJsonArray("results").getJsonObject(1).getString("reason"));
  }
}
