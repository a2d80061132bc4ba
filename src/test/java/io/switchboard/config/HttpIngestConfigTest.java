package io.switchboard.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpIngestConfigTest {

  private static HttpIngestConfig http(String json) {
    return HttpIngestConfig.from(ConfigNode.root(new JsonObject().put("http", new JsonObject(json))).object("http"));
  }

  @Test
  void verifiesThatBasicAuthIsReadAndNeverPrinted() {
    HttpIngestConfig config = http("{\"basicAuth\": {\"username\": \"eventbridge\", \"password\": \"pw-value\"}}");
    assertEquals("eventbridge", config.basicUser());
    assertEquals("pw-value", config.basicPassword());
    assertFalse(config.toString().contains("pw-value"), config.toString());
    assertNull(http("{}").basicUser());
  }

  @Test
  void verifiesThatBasicAuthNeedsBothPartsAndAUserWithoutAColon() {
    ConfigException noPassword = assertThrows(ConfigException.class,
        () -> http("{\"basicAuth\": {\"username\": \"eventbridge\"}}"));
    assertTrue(noPassword.getMessage().startsWith("http.basicAuth.password: "), noPassword.getMessage());
    ConfigException colon = assertThrows(ConfigException.class,
        () -> http("{\"basicAuth\": {\"username\": \"a:b\", \"password\": \"pw\"}}"));
    assertTrue(colon.getMessage().startsWith("http.basicAuth.username: "), colon.getMessage());
    ConfigException unset = assertThrows(ConfigException.class,
        () -> http("{\"basicAuth\": {\"username\": \"u\", \"passwordEnv\": \"SWITCHBOARD_TEST_UNSET_VARIABLE\"}}"));
    assertTrue(unset.getMessage().startsWith("http.basicAuth.passwordEnv: "), unset.getMessage());
  }

  @Test
  void verifiesThatTheAdminKeyMustDifferFromTheIngestKeyAndIsNeverPrinted() {
    ConfigException same = assertThrows(ConfigException.class,
        () -> http("{\"apiKey\": \"k\", \"adminKey\": \"k\"}"));
    assertTrue(same.getMessage().startsWith("http.adminKey: must differ from the ingest key"), same.getMessage());
    HttpIngestConfig config = http("{\"apiKey\": \"ingest-value\", \"adminKey\": \"admin-value\"}");
    assertEquals("x-admin-key", config.adminKeyHeader());
    assertFalse(config.toString().contains("admin-value") || config.toString().contains("ingest-value"));
  }
}
