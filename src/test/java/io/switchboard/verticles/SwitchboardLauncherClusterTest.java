package io.switchboard.verticles;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that the launcher's {@code -cluster} turns the config's cluster section on, and changes nothing else. */
class SwitchboardLauncherClusterTest {

  @Test
  void verifiesThatAnAbsentSectionIsAddedEnabled() {
    JsonObject json = new JsonObject().put("nodeId", "a");
    JsonObject clustered = SwitchboardLauncher.withClusterEnabled(json);
    assertEquals(new JsonObject().put("enabled", true), clustered.getJsonObject("cluster"));
    assertFalse(json.containsKey("cluster"), "the original is left as it was");
  }

  @Test
  void verifiesThatAPresentSectionKeepsItsValues() {
    JsonObject json = new JsonObject().put("cluster", new JsonObject().put("enabled", false).put("port", 5801));
    JsonObject cluster = SwitchboardLauncher.withClusterEnabled(json).getJsonObject("cluster");
    assertTrue(cluster.getBoolean("enabled"));
    assertEquals(5801, cluster.getInteger("port"));
    assertFalse(json.getJsonObject("cluster").getBoolean("enabled"));
  }

  @Test
  void verifiesThatASectionThatIsNoObjectIsLeftForTheConfigToReject() {
    JsonObject json = new JsonObject().put("cluster", true);
    assertEquals(true, SwitchboardLauncher.withClusterEnabled(json).getValue("cluster"));
  }
}
