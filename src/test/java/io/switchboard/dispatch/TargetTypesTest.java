package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.kinesis.PartitionKeys;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one registry of target types: what config accepts, which targets read the snapshot, each type's order. */
class TargetTypesTest {

  private static TargetConfig target(String json) {
    return SwitchboardConfig.fromJson(new JsonObject().put("targets", new JsonArray().add(new JsonObject(json))),
        TargetTypes.BUILT_IN).targets().get(0);
  }

  @Test
  void verifiesThatConfigAcceptsExactlyTheRegisteredTypes() {
    assertEquals(Set.of("file", "http", "eventbridge", "kinesis", "kafka"), TargetTypes.BUILT_IN.typeNames());
    ConfigException e = assertThrows(ConfigException.class, () -> target("{\"id\": \"x\", \"type\": \"smtp\"}"));
    assertTrue(e.getMessage().startsWith("targets[0].type: must be one of"), e.getMessage());
  }

  @Test
  void verifiesThatConfigChecksTheFilterTheRetryPolicyAndTheTypesOwnKeys() {
    assertTrue(assertThrows(ConfigException.class, () -> target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x", "filter": {"detail": {"x": [{"numeric": [">=", "a"]}]}}}
        """)).getMessage().startsWith("targets[0].filter: invalid event pattern"));
    assertTrue(assertThrows(ConfigException.class, () -> target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x", "retry": {"maxAttempts": 0}}
        """)).getMessage().startsWith("targets[0].retry.maxAttempts"));
    assertTrue(assertThrows(ConfigException.class, () -> target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x", "stream": "s"}
        """)).getMessage().startsWith("targets[0].stream: unknown key"));
  }

  @Test
  void verifiesThatAnOriginalShapeWithoutAConversationFilterReadsNoSnapshot() {
    assertFalse(TargetTypes.BUILT_IN.readsSnapshot(
        target("{\"id\": \"crm\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/x\"}")));
    assertFalse(TargetTypes.BUILT_IN.readsSnapshot(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x",
         "filter": {"detail": {"eventBody": {"mediaType": ["VOICE"]}}}}""")));
  }

  @Test
  void verifiesThatFileTargetsEnrichedShapesAndConversationFiltersReadTheSnapshot() {
    assertTrue(TargetTypes.BUILT_IN.readsSnapshot(
        target("{\"id\": \"audit\", \"type\": \"file\", \"path\": \"data/out/a.jsonl\"}")));
    assertTrue(TargetTypes.BUILT_IN.readsSnapshot(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x", "payload": {"shape": "enriched"}}""")));
    assertTrue(TargetTypes.BUILT_IN.readsSnapshot(target("""
        {"id": "crm", "type": "http", "url": "http://127.0.0.1:1/x",
         "filter": {"patterns": {"vip": {"conversation": {"state": ["queued"]}}}}}""")));
  }

  @Test
  void verifiesThatAKinesisTargetOrdersByItsPartitionKeyAndOthersByConversation() {
    var event = DispatchEvents.event("conv-1", "e-1", 1, 0, "queue-7", "VOICE");
    TargetConfig kinesis = target("""
        {"id": "k", "type": "kinesis", "stream": "s", "region": "us-east-1", "partitionKey": "queue"}""");
    assertEquals(new PartitionKeys.ByQueue().keyOf(event),
        TargetTypes.BUILT_IN.of(kinesis).orderingKey(kinesis).of(event));
    TargetConfig http = target("{\"id\": \"crm\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/x\"}");
    assertEquals("conv-1", TargetTypes.BUILT_IN.of(http).orderingKey(http).of(event));
  }
}
