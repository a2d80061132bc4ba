package io.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which targets make the state stage encode a conversation snapshot per event. */
class TargetConfigSnapshotTest {

  private static TargetConfig target(String json) {
    return TargetConfig.from(new ConfigNode(new JsonObject(json), "targets[0]"));
  }

  @Test
  void verifiesThatAnOriginalShapeWithoutAConversationFilterReadsNoSnapshot() {
    assertFalse(target("{\"id\": \"crm\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/x\"}").readsSnapshot());
    assertFalse(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x",
         "filter": {"detail": {"eventBody": {"mediaType": ["VOICE"]}}}}""").readsSnapshot());
  }

  @Test
  void verifiesThatFileTargetsEnrichedShapesAndConversationFiltersReadTheSnapshot() {
    assertTrue(target("{\"id\": \"audit\", \"type\": \"file\", \"path\": \"data/out/a.jsonl\"}").readsSnapshot());
    assertTrue(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x", "payload": {"shape": "enriched"}}""")
        .readsSnapshot());
    assertTrue(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x",
         "filter": {"patterns": {"vip": {"conversation": {"state": ["queued"]}}}}}""").readsSnapshot());
  }
}
