package io.switchboard.config;

import io.switchboard.dispatch.TargetTypes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies {@code state.enrichment}: its defaults, its trigger list, and errors that name their path. */
class EnrichmentConfigTest {

  private static EnrichmentConfig enrichment(JsonObject json) {
    return StateConfig.from(new ConfigNode(new JsonObject().put("enrichment", json), "state")).enrichment();
  }

  private static String error(JsonObject json) {
    return assertThrows(ConfigException.class, () -> enrichment(json)).getMessage();
  }

  @Test
  void verifiesTheDefaults() {
    EnrichmentConfig config = StateConfig.from(new ConfigNode(new JsonObject(), "state")).enrichment();
    assertFalse(config.enabled());
    assertTrue(config.onFirst());
    assertEquals(500, config.timeoutMs());
    assertEquals(600, config.cacheSeconds());
    assertEquals(10_000, config.maxCached());
    assertEquals(3, config.maxAttempts());
    assertEquals(4, config.maxInFlight());
    assertTrue(enrichment(new JsonObject().put("on", "first")).onFirst());
  }

  @Test
  void verifiesThatOnTakesAListOfEventTypes() {
    EnrichmentConfig config = enrichment(new JsonObject().put("enabled", true)
        .put("on", new JsonArray().add("acd.start").add("customer.end")).put("timeoutMs", 300));
    assertTrue(config.enabled());
    assertFalse(config.onFirst());
    assertEquals(Set.of("acd.start", "customer.end"), config.on());
    assertEquals(300, config.timeoutMs());
  }

  @Test
  void verifiesThatMistakesNameTheirPath() {
    assertTrue(error(new JsonObject().put("on", "last")).startsWith("state.enrichment.on: must be \"first\" or"),
        error(new JsonObject().put("on", "last")));
    assertTrue(error(new JsonObject().put("on", new JsonArray())).startsWith("state.enrichment.on: "));
    assertTrue(error(new JsonObject().put("on", new JsonArray().add("acd.start").add("ACD START")))
        .startsWith("state.enrichment.on[1]: must be an event type"));
    assertTrue(error(new JsonObject().put("on", new JsonArray().add("acd.start").add("acd.start")))
        .startsWith("state.enrichment.on[1]: duplicate"));
    assertTrue(error(new JsonObject().put("timeoutMs", -1)).startsWith("state.enrichment.timeoutMs: must be between"));
    assertTrue(error(new JsonObject().put("maxCached", 0)).startsWith("state.enrichment.maxCached: "));
    assertTrue(error(new JsonObject().put("enabled", "yes")).startsWith("state.enrichment.enabled: "));
    assertTrue(error(new JsonObject().put("timeout", 5)).startsWith("state.enrichment.timeout: unknown key"));
  }

  @Test
  void verifiesThatEnrichmentNeedsTheGenesysSection() {
    JsonObject json = new JsonObject().put("state", new JsonObject().put("enrichment",
        new JsonObject().put("enabled", true)));
    ConfigException e = assertThrows(ConfigException.class,
        () -> SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN, Map.<String, String>of()::get));
    assertTrue(e.getMessage().startsWith("state.enrichment.enabled: enrichment fetches from the Genesys REST API"),
        e.getMessage());
    json.put("genesys", new JsonObject().put("baseUrl", "http://127.0.0.1:1").put("clientId", "c")
        .put("clientSecretEnv", "S"));
    SwitchboardConfig config = SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN, Map.of("S", "s")::get);
    assertTrue(config.state().enrichment().enabled());
    assertEquals(List.of(), List.copyOf(config.state().enrichment().on()));
  }
}
