package io.switchboard.dispatch;

import io.switchboard.bus.Shards;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each event goes to one instance per target: the one owning its ordering key. */
class TargetRoutesTest {

  private static TargetRoutes routes(String... targets) {
    JsonArray array = new JsonArray();
    for (String target : targets) {
      array.add(new JsonObject(target));
    }
    return TargetRoutes.of("local", SwitchboardConfig.fromJson(new JsonObject().put("targets", array), TargetTypes.BUILT_IN)
        .targets(), TargetTypes.BUILT_IN);
  }

  @Test
  void verifiesThatEachTargetGetsTheAddressOfTheInstanceOwningTheConversation() {
    TargetRoutes routes = routes(
        "{\"id\": \"crm\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/x\", \"instances\": 4}",
        "{\"id\": \"audit\", \"type\": \"file\", \"path\": \"a.jsonl\"}");
    Set<String> crmInstances = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      ProcessedEvent event = DispatchEvents.event("conversation-" + i, "e" + i, i, 0);
      List<String> addresses = routes.addresses(event);
      String crm = "sb.local.dispatch.crm." + Shards.of("conversation-" + i, 4);
      assertEquals(List.of(crm, "sb.local.dispatch.audit.0"), addresses);
      assertEquals(crm, routes.address("crm", event));
      crmInstances.add(crm);
    }
    assertEquals(4, crmInstances.size(), "conversations spread over every instance");
  }

  @Test
  void verifiesThatAKinesisTargetRoutesByItsPartitionKeySoAQueueMeetsInOneInstance() {
    TargetRoutes routes = routes("""
        {"id": "k", "type": "kinesis", "stream": "s", "region": "us-east-1", "partitionKey": "queue",
         "instances": 8}""");
    Set<String> owners = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      owners.add(routes.address("k", DispatchEvents.event("conversation-" + i, "e" + i, i, 0, "queue-1", "VOICE")));
    }
    assertEquals(1, owners.size(), "every conversation of one queue goes to one instance: " + owners);
  }

  @Test
  void verifiesThatAnUnknownTargetIsRefusedAndNoTargetsMeansNoRoutes() {
    assertTrue(routes().isEmpty());
    TargetRoutes routes = routes("{\"id\": \"crm\", \"type\": \"http\", \"url\": \"http://127.0.0.1:1/x\"}");
    assertThrows(IllegalArgumentException.class, () -> routes.address("nope", DispatchEvents.event("c", "e", 1, 0)));
  }
}
