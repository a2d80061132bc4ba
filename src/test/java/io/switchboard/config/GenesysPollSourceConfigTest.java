package io.switchboard.config;

import io.switchboard.dispatch.TargetTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that a genesys-poll source's config is read with its defaults and that each mistake names its JSON path. */
class GenesysPollSourceConfigTest {

  private static final long NOW = Instant.parse("2026-03-11T14:00:00Z").toEpochMilli();

  private static JsonObject minimal() {
    return new JsonObject().put("type", "genesys-poll").put("id", "analytics");
  }

  private static GenesysPollSourceConfig parse(JsonObject json) {
    return GenesysPollSourceConfig.from(new ConfigNode(json, "sources[0]"), NOW);
  }

  /** The error's message, which must name {@code path}. */
  private static String error(JsonObject json, String path) {
    String message = assertThrows(ConfigException.class, () -> parse(json)).getMessage();
    assertTrue(message.contains(path), "expected the path " + path + " in: " + message);
    return message;
  }

  private static JsonObject server(JsonObject... sources) {
    JsonArray list = new JsonArray();
    for (JsonObject source : sources) {
      list.add(source);
    }
    return new JsonObject().put("sources", list);
  }

  private static JsonObject genesys() {
    return new JsonObject().put("baseUrl", "http://127.0.0.1:9400").put("clientId", "abc")
        .put("clientSecretEnv", "GENESYS_SECRET");
  }

  @Test
  void verifiesTheDefaults() {
    GenesysPollSourceConfig config = parse(minimal());
    assertEquals("genesys-poll-analytics", config.sourceId());
    assertEquals(60, config.intervalSeconds());
    assertEquals(30, config.overlapSeconds());
    assertEquals(120, config.lagSeconds());
    assertEquals(NOW - 60_000, config.startAt(), "one interval before now");
    assertEquals(100, config.pageSize());
    assertEquals(2_000, config.jobPollMs());
    assertEquals(1, config.maxWindowsInFlight());
    assertEquals(5_000, config.maxInFlight());
    assertEquals(new JsonObject(), config.filters());
    assertEquals("data/checkpoints", config.checkpointDir());
  }

  @Test
  void verifiesThatTheDefaultOverlapFollowsTheInterval() {
    assertEquals(30, parse(minimal().put("intervalSeconds", 900)).overlapSeconds(), "at most 30 s");
    assertEquals(14, parse(minimal().put("intervalSeconds", 15)).overlapSeconds(), "less than a short interval");
    assertEquals(NOW - 900_000, parse(minimal().put("intervalSeconds", 900)).startAt());
  }

  @Test
  void verifiesThatStartAtTakesAnInstantOrNow() {
    assertEquals(Instant.parse("2026-03-10T08:30:00Z").toEpochMilli(),
        parse(minimal().put("startAt", "2026-03-10T08:30:00Z")).startAt());
    assertEquals(NOW, parse(minimal().put("startAt", "now")).startAt());
    error(minimal().put("startAt", "yesterday"), "sources[0].startAt");
    error(minimal().put("startAt", "2026-03-10 08:30:00"), "sources[0].startAt");
    error(minimal().put("startAt", 1_741_701_600_000L), "sources[0].startAt");
  }

  @Test
  void verifiesThatTheOverlapMustCoverTheHorizonAndStayBelowTheInterval() {
    assertEquals(10, parse(minimal().put("overlapSeconds", 10)).overlapSeconds());
    assertTrue(error(minimal().put("overlapSeconds", 9), "sources[0].overlapSeconds").contains("at least 10"));
    error(minimal().put("overlapSeconds", 0), "sources[0].overlapSeconds");
    assertTrue(error(minimal().put("intervalSeconds", 120).put("overlapSeconds", 120), "sources[0].overlapSeconds")
        .contains("less than intervalSeconds"));
    error(minimal().put("intervalSeconds", 60).put("overlapSeconds", 61), "sources[0].overlapSeconds");
    // An interval too short for the horizon is refused as such, not as an overlap the user never set.
    error(minimal().put("intervalSeconds", 10), "sources[0].intervalSeconds");
  }

  @Test
  void verifiesThatUnknownKeysAndBadValuesNameTheirPath() {
    error(minimal().put("interval", 60), "sources[0].interval");
    error(minimal().put("checkpointdir", "x"), "sources[0].checkpointdir");
    error(minimal().put("filters", new JsonObject().put("interval", "2026-03-10T00:00:00Z/2026-03-11T00:00:00Z")),
        "sources[0].filters.interval");
    error(minimal().put("filters", new JsonObject().put("segmentFilters", new JsonObject())),
        "sources[0].filters.segmentFilters");
    error(minimal().put("filters", "queue"), "sources[0].filters");
    error(minimal().put("id", "Analytics"), "sources[0].id");
    error(new JsonObject().put("type", "genesys-poll"), "sources[0].id");
    error(minimal().put("id", " "), "sources[0].id");
    error(minimal().put("intervalSeconds", 0), "sources[0].intervalSeconds");
    error(minimal().put("lagSeconds", -1), "sources[0].lagSeconds");
    error(minimal().put("pageSize", 1_001), "sources[0].pageSize");
    error(minimal().put("jobPollMs", 5), "sources[0].jobPollMs");
    error(minimal().put("maxWindowsInFlight", 0), "sources[0].maxWindowsInFlight");
    error(minimal().put("maxInFlight", 0), "sources[0].maxInFlight");
    JsonObject filters = new JsonObject().put("segmentFilters", new JsonArray().add(new JsonObject()
        .put("type", "and"))).put("order", "asc");
    assertEquals(filters, parse(minimal().put("filters", filters)).filters());
  }

  @Test
  void verifiesThatAPollSourceNeedsTheGenesysSection() {
    JsonObject other = new JsonObject().put("type", "kafka").put("id", "k").put("bootstrapServers", "127.0.0.1:9092")
        .put("topics", new JsonArray().add("t")).put("groupId", "g");
    ConfigException missing = assertThrows(ConfigException.class, () -> SwitchboardConfig.fromJson(
        server(other, minimal()), TargetTypes.BUILT_IN, Map.<String, String>of()::get));
    assertTrue(missing.getMessage().contains("sources[1].type"), missing.getMessage());
    assertTrue(missing.getMessage().contains("genesys section"), missing.getMessage());

    SwitchboardConfig config = SwitchboardConfig.fromJson(server(other, minimal(), minimal().put("id", "off")
        .put("enabled", false)).put("genesys", genesys()), TargetTypes.BUILT_IN,
        Map.of("GENESYS_SECRET", "s3cret")::get);
    assertEquals(1, config.pollSources().size(), "a disabled source is parsed but not run");
    assertEquals("genesys-poll-analytics", config.pollSources().get(0).sourceId());
  }

  @Test
  void verifiesThatSourceIdsAreUnique() {
    ConfigException duplicate = assertThrows(ConfigException.class, () -> SwitchboardConfig.fromJson(
        server(minimal(), minimal()).put("genesys", genesys()), TargetTypes.BUILT_IN,
        Map.of("GENESYS_SECRET", "s3cret")::get));
    assertTrue(duplicate.getMessage().contains("sources[1].id"), duplicate.getMessage());
  }
}
