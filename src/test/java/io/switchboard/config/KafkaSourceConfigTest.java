package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that a kafka source's config is read with its defaults and that each mistake names its JSON path. */
class KafkaSourceConfigTest {

  private static JsonObject minimal() {
    return new JsonObject().put("type", "kafka").put("id", "genesys").put("bootstrapServers", "127.0.0.1:9092")
        .put("topics", new JsonArray().add("genesys-events")).put("groupId", "switchboard");
  }

  private static KafkaSourceConfig parse(JsonObject json, Map<String, String> env) {
    return KafkaSourceConfig.from(new ConfigNode(json, "sources[0]"), env::get);
  }

  private static ConfigException error(JsonObject json) {
    return assertThrows(ConfigException.class, () -> parse(json, Map.of()));
  }

  @Test
  void defaults() {
    KafkaSourceConfig config = parse(minimal(), Map.of());
    assertEquals("kafka-genesys-0", config.sourceId(0));
    assertEquals("earliest", config.autoOffsetReset());
    assertEquals(5_000, config.maxInFlight());
    assertEquals(1_000, config.maxInFlightPerPartition());
    assertEquals("PLAINTEXT", config.connection().securityProtocol());
    Map<String, Object> props = config.connection().clientProperties(Map.of("enable.auto.commit", "false"), "x");
    assertEquals("127.0.0.1:9092", props.get("bootstrap.servers"));
    assertEquals("false", props.get("enable.auto.commit"));
  }

  @Test
  void topicsOrAPatternButNotBoth() {
    assertTrue(error(minimal().put("topicPattern", "genesys-.*")).getMessage().contains("sources[0].topics"));
    assertTrue(error(minimal().put("topics", new JsonArray())).getMessage().contains("sources[0].topics"));
    assertTrue(error(minimal().put("topics", new JsonArray().add("bad topic"))).getMessage()
        .contains("sources[0].topics[0]"));
    JsonObject byPattern = minimal();
    byPattern.remove("topics");
    KafkaSourceConfig pattern = parse(byPattern.put("topicPattern", "genesys-.*"), Map.of());
    assertEquals("genesys-.*", pattern.topicPattern());
  }

  @Test
  void unknownKeysAndBadValuesNameTheirPath() {
    assertTrue(error(minimal().put("groupid", "x")).getMessage().contains("groupid"));
    assertTrue(error(minimal().put("bootstrapServers", "localhost")).getMessage()
        .contains("sources[0].bootstrapServers"));
    assertTrue(error(minimal().put("autoOffsetReset", "none")).getMessage().contains("sources[0].autoOffsetReset"));
    assertTrue(error(minimal().put("revokeTimeoutMs", 400_000)).getMessage().contains("sources[0].revokeTimeoutMs"));
    assertTrue(error(minimal().put("id", "Genesys")).getMessage().contains("sources[0].id"));
  }

  @Test
  void saslReadsItsPasswordFromTheEnvironmentAndNeverPrintsIt() {
    JsonObject json = minimal().put("securityProtocol", "SASL_SSL").put("sasl", new JsonObject()
        .put("mechanism", "SCRAM-SHA-256").put("username", "router").put("passwordEnv", "KAFKA_PASSWORD"));
    KafkaSourceConfig config = parse(json, Map.of("KAFKA_PASSWORD", "s3cret-value"));
    Map<String, Object> props = config.connection().clientProperties(Map.of(), "sources[0]");
    assertEquals("SCRAM-SHA-256", props.get("sasl.mechanism"));
    assertTrue(props.get("sasl.jaas.config").toString().contains("ScramLoginModule required username=\"router\""));
    assertTrue(props.get("sasl.jaas.config").toString().contains("s3cret-value"));
    assertFalse(config.toString().contains("s3cret-value"), config.toString());
    ConfigException unset = assertThrows(ConfigException.class, () -> parse(json, Map.of()));
    assertTrue(unset.getMessage().contains("sources[0].sasl.passwordEnv"), unset.getMessage());
    assertTrue(error(minimal().put("securityProtocol", "SASL_PLAINTEXT")).getMessage().contains("sources[0].sasl"));
  }

  @Test
  void propertiesMayNotOverrideWhatSwitchboardOwns() {
    KafkaSourceConfig config = parse(minimal().put("properties", new JsonObject().put("enable.auto.commit", true)
        .put("fetch.min.bytes", 1024)), Map.of());
    ConfigException owned = assertThrows(ConfigException.class,
        () -> config.connection().clientProperties(Map.of("enable.auto.commit", "false"), "sources[0]"));
    assertTrue(owned.getMessage().contains("sources[0].properties.enable.auto.commit"), owned.getMessage());
    KafkaSourceConfig fine = parse(minimal().put("properties", new JsonObject().put("fetch.min.bytes", 1024)),
        Map.of());
    assertEquals("1024", fine.connection().clientProperties(Map.of(), "x").get("fetch.min.bytes"));
  }
}
