package io.switchboard.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.switchboard.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that a node's Hazelcast config says what its {@code cluster} section says, on Vert.x's defaults. */
class HazelcastSetupTest {

  private static final ClusterConfig CLUSTER = new ClusterConfig(true, "sb-test", "127.0.0.1", 5801, 5901,
      List.of("127.0.0.1:5801", "127.0.0.1:5802"), 3500, 30_000);

  @TempDir
  Path dir;

  @Test
  void verifiesThatTheNameAndTheExactPortAreSet() {
    Config config = HazelcastSetup.of(CLUSTER, "node-1", null);
    assertEquals("sb-test", config.getClusterName());
    assertEquals(5801, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals("127.0.0.1:5801", config.getNetworkConfig().getPublicAddress());
    assertEquals("127.0.0.1", config.getProperty("hazelcast.local.localAddress"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
  }

  @Test
  void verifiesThatJoinIsTcpIpToTheMembersOnly() {
    JoinConfig join = HazelcastSetup.of(CLUSTER, "node-1", null).getNetworkConfig().getJoin();
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.isAutoDetectionEnabled());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), join.getTcpIpConfig().getMembers());
  }

  @Test
  void verifiesThatTheNodeIdIsAMemberAttribute() {
    Config config = HazelcastSetup.of(CLUSTER, "node-1", null);
    assertEquals("node-1", config.getMemberAttributeConfig().getAttribute(HazelcastSetup.NODE_ATTRIBUTE));
  }

  @Test
  void verifiesThatTheVertxMapsOfTheDefaultConfigAreKept() {
    Config config = HazelcastSetup.of(CLUSTER, "node-1", null);
    assertTrue(config.getMultiMapConfigs().containsKey("__vertx.subs"),
        config.getMultiMapConfigs().keySet().toString());
    assertEquals("SET", config.getMultiMapConfig("__vertx.subs").getValueCollectionType().name());
    assertTrue(config.getMapConfigs().containsKey("__vertx.haInfo"), config.getMapConfigs().keySet().toString());
    assertTrue(config.getMapConfigs().containsKey("__vertx.nodeInfo"), config.getMapConfigs().keySet().toString());
  }

  @Test
  void verifiesThatFailureDetectionAndHousekeepingPropertiesAreSet() {
    Map<String, String> expected = Map.of(
        "hazelcast.max.no.heartbeat.seconds", "4", // 3500 ms rounded up
        "hazelcast.heartbeat.interval.seconds", "1",
        "hazelcast.merge.first.run.delay.seconds", "5",
        "hazelcast.merge.next.run.delay.seconds", "5",
        "hazelcast.wait.seconds.before.join", "1",
        "hazelcast.logging.type", "slf4j",
        "hazelcast.phone.home.enabled", "false",
        "hazelcast.shutdownhook.enabled", "false");
    Config config = HazelcastSetup.of(CLUSTER, "node-1", null);
    expected.forEach((property, value) -> assertEquals(value, config.getProperty(property), property));
    ClusterConfig fastest = new ClusterConfig(true, "n", "127.0.0.1", 5701, 0, List.of("127.0.0.1:5701"), 1000, 1000);
    assertEquals("2", HazelcastSetup.of(fastest, "n", null).getProperty("hazelcast.max.no.heartbeat.seconds"),
        "never fewer than two heartbeat intervals");
  }

  @Test
  void verifiesThatTheEventBusBindsAndAdvertisesTheClusterHost() {
    EventBusOptions options = HazelcastSetup.eventBus(CLUSTER, new EventBusOptions());
    assertEquals("127.0.0.1", options.getHost());
    assertEquals(5901, options.getPort());
    assertEquals("127.0.0.1", options.getClusterPublicHost());
  }

  @Test
  void verifiesThatAnOperatorsFileIsTakenAsItIsBarTheNameAndTheNodeAttribute() throws Exception {
    Path file = dir.resolve("cluster.xml");
    Files.writeString(file, """
        <hazelcast xmlns="http://www.hazelcast.com/schema/config">
          <network><port auto-increment="true">6701</port></network>
          <multimap name="__vertx.subs"><value-collection-type>SET</value-collection-type></multimap>
        </hazelcast>
        """);
    Config config = HazelcastSetup.of(CLUSTER, "node-2", file.toString());
    assertEquals(6701, config.getNetworkConfig().getPort());
    assertTrue(config.getNetworkConfig().isPortAutoIncrement());
    assertNull(config.getProperty("hazelcast.max.no.heartbeat.seconds"));
    assertEquals("sb-test", config.getClusterName());
    assertEquals("node-2", config.getMemberAttributeConfig().getAttribute(HazelcastSetup.NODE_ATTRIBUTE));
  }

  @Test
  void verifiesThatAMissingOperatorsFileIsAnErrorNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> HazelcastSetup.of(CLUSTER, "node-1", dir.resolve("absent.xml").toString()));
    assertTrue(e.getMessage().startsWith("-Dvertx.hazelcast.config="), e.getMessage());
  }
}
