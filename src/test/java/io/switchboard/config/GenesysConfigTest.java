package io.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies the genesys section: region or base URL, the secret from the environment, errors naming their path. */
class GenesysConfigTest {

  private static GenesysConfig parse(JsonObject json, Map<String, String> env) {
    return GenesysConfig.from(new ConfigNode(json, "genesys"), env::get);
  }

  @Test
  void aRegionGivesTheSdkHostsAndTheSecretComesFromTheEnvironment() {
    GenesysConfig config = parse(new JsonObject().put("region", "eu-central-1").put("clientId", "abc")
        .put("clientSecretEnv", "GENESYS_SECRET"), Map.of("GENESYS_SECRET", "very-secret"));
    assertEquals("https://api.mypurecloud.de", config.hosts().apiBase().toString());
    assertEquals("https://login.mypurecloud.de", config.hosts().loginBase().toString());
    assertEquals(300, config.requestsPerMinute());
    assertEquals("very-secret", config.clientSecret());
    assertFalse(config.toString().contains("very-secret"), config.toString());
  }

  @Test
  void absentMeansNothingTalksToGenesys() {
    assertNull(parse(new JsonObject(), Map.of()));
  }

  @Test
  void mistakesNameTheirPath() {
    Map<String, String> env = Map.of("S", "x");
    JsonObject base = new JsonObject().put("clientId", "abc").put("clientSecretEnv", "S");
    assertTrue(assertThrows(ConfigException.class, () -> parse(base.copy().put("region", "mars-1"), env))
        .getMessage().contains("genesys.region"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(base.copy(), env)).getMessage()
        .contains("genesys.region"), "neither region nor baseUrl");
    assertTrue(assertThrows(ConfigException.class, () -> parse(base.copy().put("baseUrl", "ftp://x"), env))
        .getMessage().contains("genesys.baseUrl"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(base.copy().put("region", "us-east-1"), Map.of()))
        .getMessage().contains("genesys.clientSecretEnv"));
    assertTrue(assertThrows(ConfigException.class, () -> parse(base.copy().put("region", "us-east-1")
        .put("clientSecret", "inline"), env)).getMessage().contains("clientSecret"), "no inline secret");
  }
}
