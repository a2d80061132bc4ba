package io.switchboard.config;

import io.switchboard.dispatch.TargetTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that the cluster section is read with its defaults, and that each mistake names its JSON path. */
class ClusterConfigTest {

  private static SwitchboardConfig server(JsonObject json) {
    return SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN);
  }

  private static ClusterConfig cluster(JsonObject section) {
    return ClusterConfig.from(ConfigNode.root(new JsonObject().put("cluster", section)).object("cluster"));
  }

  private static void assertFailsAt(String path, JsonObject section) {
    ConfigException e = assertThrows(ConfigException.class, () -> cluster(section));
    assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
  }

  @Test
  void verifiesThatAnAbsentSectionIsADisabledClusterWithTheDefaults() {
    ClusterConfig cluster = server(new JsonObject().put("shards", 4)).cluster();
    assertFalse(cluster.enabled());
    assertEquals("switchboard", cluster.name());
    assertEquals("127.0.0.1", cluster.host());
    assertEquals(5701, cluster.port());
    assertEquals(0, cluster.eventBusPort());
    assertEquals(List.of("127.0.0.1:5701"), cluster.members());
    assertEquals(10_000, cluster.failureDetectionMillis());
    assertEquals(30_000, cluster.handoverTimeoutMillis());
  }

  @Test
  void verifiesThatTheDefaultMemberIsThisOneAtItsConfiguredHostAndPort() {
    ClusterConfig cluster = cluster(new JsonObject().put("host", "127.0.0.2").put("port", 5801));
    assertEquals(List.of("127.0.0.2:5801"), cluster.members());
  }

  @Test
  void verifiesThatEveryKeyIsRead() {
    ClusterConfig cluster = cluster(new JsonObject().put("enabled", true).put("name", "sb-test").put("port", 5802)
        .put("eventBusPort", 5902).put("members", new JsonArray().add("127.0.0.1:5801").add("127.0.0.1:5802"))
        .put("failureDetectionMs", 3000).put("handoverTimeoutMs", 5000));
    assertTrue(cluster.enabled());
    assertEquals("sb-test", cluster.name());
    assertEquals(5802, cluster.port());
    assertEquals(5902, cluster.eventBusPort());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), cluster.members());
    assertEquals(3000, cluster.failureDetectionMillis());
    assertEquals(5000, cluster.handoverTimeoutMillis());
  }

  @Test
  void verifiesThatEachBadValueNamesItsPath() {
    assertFailsAt("cluster.enabled", new JsonObject().put("enabled", "yes"));
    assertFailsAt("cluster.name", new JsonObject().put("name", " "));
    assertFailsAt("cluster.host", new JsonObject().put("host", ""));
    assertFailsAt("cluster.host", new JsonObject().put("host", "0.0.0.0"));
    assertFailsAt("cluster.port", new JsonObject().put("port", 0));
    assertFailsAt("cluster.port", new JsonObject().put("port", 65536));
    assertFailsAt("cluster.eventBusPort", new JsonObject().put("eventBusPort", -1));
    assertFailsAt("cluster.members", new JsonObject().put("members", "127.0.0.1:5701"));
    assertFailsAt("cluster.members", new JsonObject().put("members", new JsonArray()));
    assertFailsAt("cluster.members[1]", new JsonObject().put("members", new JsonArray().add("a:1").add(5701)));
    assertFailsAt("cluster.members[0]", new JsonObject().put("members", new JsonArray().add("127.0.0.1")));
    assertFailsAt("cluster.members[0]", new JsonObject().put("members", new JsonArray().add(":5701")));
    assertFailsAt("cluster.members[0]", new JsonObject().put("members", new JsonArray().add("host:99999")));
    assertFailsAt("cluster.members[0]", new JsonObject().put("members", new JsonArray().add("host:port")));
    assertFailsAt("cluster.failureDetectionMs", new JsonObject().put("failureDetectionMs", 999));
    assertFailsAt("cluster.handoverTimeoutMs", new JsonObject().put("handoverTimeoutMs", 10));
    assertFailsAt("cluster.memebers", new JsonObject().put("memebers", new JsonArray()));
  }

  @Test
  void verifiesThatAClusterNeedsAnExplicitNodeId() {
    JsonObject enabled = new JsonObject().put("cluster", new JsonObject().put("enabled", true));
    ConfigException e = assertThrows(ConfigException.class, () -> server(enabled));
    assertTrue(e.getMessage().startsWith("nodeId: must be set in a cluster"), e.getMessage());
    assertEquals("node-1", server(enabled.copy().put("nodeId", "node-1")).nodeId());
    assertEquals("local", server(new JsonObject().put("cluster", new JsonObject().put("enabled", false))).nodeId());
  }

  @Test
  void verifiesThatTheClusterSectionMustBeAnObject() {
    ConfigException e = assertThrows(ConfigException.class, () -> server(new JsonObject().put("cluster", true)));
    assertTrue(e.getMessage().startsWith("cluster: "), e.getMessage());
  }

  @Test
  void verifiesThatTheShippedClusterConfigsAreOneClusterOfNodesThatShareNothingElse() throws Exception {
    Set<Object> distinct = new HashSet<>();
    for (int n = 1; n <= 3; n++) {
      SwitchboardConfig node = server(new JsonObject(Files.readString(Path.of("conf/cluster-node-" + n + ".json"))));
      assertTrue(node.cluster().enabled());
      assertEquals("switchboard-demo", node.cluster().name());
      assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802", "127.0.0.1:5803"), node.cluster().members());
      assertEquals(5800 + n, node.cluster().port());
      assertEquals(8080 + n, node.http().port());
      for (Object own : List.of(node.nodeId(), node.deadLetters().dir(), node.parkDir(), node.durability().journalDir(),
          node.durability().snapshotDir(), node.targets().get(0).options().json().getString("path"))) {
        assertTrue(distinct.add(own), "shared between nodes: " + own);
      }
    }
  }
}
