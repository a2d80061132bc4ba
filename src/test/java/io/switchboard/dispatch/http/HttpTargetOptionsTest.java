package io.switchboard.dispatch.http;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTargetOptionsTest {

  private static final Map<String, String> ENV = Map.of("CRM_TOKEN", "Bearer s3cret-token", "EMPTY", "",
      "NEWLINE", "s3cret-token\n");

  private static HttpTargetOptions parse(String json) {
    return HttpTargetOptions.from(new ConfigNode(new JsonObject(json), "targets[0]"), ENV::get);
  }

  private static String error(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void verifiesThatAUrlAloneGivesTheApiDestinationDefaultsAndCommonKeysAreAccepted() {
    HttpTargetOptions options = parse("{\"id\":\"crm\",\"type\":\"http\",\"enabled\":true,\"filter\":{},\"retry\":{},"
        + "\"queue\":{},\"payload\":\"envelope\",\"instances\":2,\"rateLimit\":{},\"_comment\":\"ignored\","
        + "\"url\":\"https://crm.example.com/hook\"}");
    assertEquals(URI.create("https://crm.example.com/hook"), options.url());
    assertEquals(HttpMethod.POST, options.method());
    assertEquals(Map.of(), options.headers());
    assertEquals("X-Event-Id", options.idempotencyHeader());
    assertEquals(5000, options.timeoutMs());
    assertEquals(16, options.maxConnections());
    assertEquals("application/json; charset=utf-8", options.contentType());
    assertFalse(options.tlsTrustAll());
  }

  @Test
  void verifiesThatEveryKeyIsReadAndEnvironmentHeadersAreResolved() {
    HttpTargetOptions options = parse("{\"url\":\"http://127.0.0.1:8080/in?tenant=acme\",\"method\":\"PUT\","
        + "\"headers\":{\"X-Tenant\":\"acme\",\"Authorization\":{\"env\":\"CRM_TOKEN\"}},"
        + "\"idempotencyHeader\":\"Idempotency-Key\",\"timeoutMs\":1500,\"maxConnections\":4,"
        + "\"contentType\":\"application/cloudevents+json\",\"tlsTrustAll\":true}");
    assertEquals(HttpMethod.PUT, options.method());
    assertEquals(List.of("X-Tenant", "Authorization"), List.copyOf(options.headers().keySet()));
    assertEquals("Bearer s3cret-token", options.headers().get("Authorization"));
    assertEquals("Idempotency-Key", options.idempotencyHeader());
    assertEquals(1500, options.timeoutMs());
    assertEquals(4, options.maxConnections());
    assertEquals("application/cloudevents+json", options.contentType());
    assertTrue(options.tlsTrustAll());
  }

  @Test
  void verifiesThatToStringAndTheLoggableUrlShowNoSecrets() {
    HttpTargetOptions options = parse("{\"url\":\"https://crm.example.com:8443/in?code=s3cret-token\","
        + "\"headers\":{\"Authorization\":{\"env\":\"CRM_TOKEN\"},\"X-Api-Key\":\"s3cret-token\"}}");
    assertEquals("https://crm.example.com:8443/in?…", options.loggableUrl());
    assertFalse(options.toString().contains("s3cret"), options.toString());
    assertTrue(options.toString().contains("[Authorization, X-Api-Key]"), options.toString());
  }

  @Test
  void verifiesThatTheProcessEnvironmentIsTheDefaultSource() {
    ConfigNode set = new ConfigNode(new JsonObject("{\"url\":\"http://h/\",\"headers\":{\"X-Path\":{\"env\":\"PATH\"}}}"),
        "targets[0]");
    assertEquals(System.getenv("PATH"), HttpTargetOptions.from(set).headers().get("X-Path"));
    ConfigNode unset = new ConfigNode(new JsonObject("{\"url\":\"http://h/\","
        + "\"headers\":{\"X-Key\":{\"env\":\"SWITCHBOARD_TEST_SURELY_UNSET_VARIABLE\"}}}"), "targets[0]");
    assertEquals("targets[0].headers.X-Key: environment variable SWITCHBOARD_TEST_SURELY_UNSET_VARIABLE is not set or empty",
        assertThrows(ConfigException.class, () -> HttpTargetOptions.from(unset)).getMessage());
  }

  @Test
  void verifiesThatAPathlessUrlIsAccepted() {
    assertNotNull(parse("{\"url\":\"http://localhost:9000\"}"));
    assertEquals("http://localhost:9000/", parse("{\"url\":\"http://localhost:9000\"}").loggableUrl());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "{}                                             | targets[0].url: is required",
      "{\"url\":\"  \"}                               | targets[0].url: is required",
      "{\"url\":5}                                    | targets[0].url: must be a string, got 5",
      "{\"url\":\"ftp://h/x\"}                        | targets[0].url: must be an absolute http or https URL, got scheme 'ftp'",
      "{\"url\":\"/relative/path\"}                   | targets[0].url: must be an absolute http or https URL, got scheme none",
      "{\"url\":\"http://exa mple.com/\"}             | targets[0].url: must be an absolute http or https URL: Illegal character in authority at index 7",
      "{\"url\":\"http://my_host/\"}                  | targets[0].url: must name a valid host",
      "{\"url\":\"http://h:70000/\"}                  | targets[0].url: port must be between 1 and 65535, got 70000",
      "{\"url\":\"https://h/x#part\"}                 | targets[0].url: must not have a fragment (#...): it is never sent to the server",
      "{\"url\":\"http://h/\",\"method\":\"GET\"}     | targets[0].method: must be one of",
      "{\"url\":\"http://h/\",\"method\":\"post\"}    | targets[0].method: must be one of",
      "{\"url\":\"http://h/\",\"headers\":\"x\"}      | targets[0].headers: must be an object, got 'x'",
      "{\"url\":\"http://h/\",\"headers\":{\"Bad Name\":\"v\"}}            | targets[0].headers.Bad Name: is not a valid header name",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":5}}                     | targets[0].headers.X-A: must be a string or {\"env\": \"VARIABLE\"}",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":null}}                  | targets[0].headers.X-A: must be a string or {\"env\": \"VARIABLE\"}",
      "{\"url\":\"http://h/\",\"headers\":{\"Content-Type\":\"text/plain\"}} | targets[0].headers.Content-Type: is set by the channel itself; remove it and use contentType",
      "{\"url\":\"http://h/\",\"headers\":{\"x-event-id\":\"1\"}}          | targets[0].headers.x-event-id: is set by the channel itself",
      "{\"url\":\"http://h/\",\"headers\":{\"X-Switchboard-Attempt\":\"1\"}} | targets[0].headers.X-Switchboard-Attempt: is set by the channel itself",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":\"a\\r\\nX-B: b\"}}     | targets[0].headers.X-A: must be printable ASCII",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":\"Zoë\"}}                 | targets[0].headers.X-A: must be printable ASCII",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":\"1\",\"x-a\":\"2\"}}   | targets[0].headers.x-a: repeats header X-A",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":{\"env\":\"MISSING\"}}} | targets[0].headers.X-A: environment variable MISSING is not set or empty",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":{\"env\":\"EMPTY\"}}}   | targets[0].headers.X-A: environment variable EMPTY is not set or empty",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":{\"env\":\"NEWLINE\"}}} | targets[0].headers.X-A: environment variable NEWLINE is not printable ASCII",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":{}}}                    | targets[0].headers.X-A.env: is required",
      "{\"url\":\"http://h/\",\"headers\":{\"X-A\":{\"var\":\"X\"}}}       | targets[0].headers.X-A.var: unknown key",
      "{\"url\":\"http://h/\",\"idempotencyHeader\":\"X Event\"}             | targets[0].idempotencyHeader: must be a header name",
      "{\"url\":\"http://h/\",\"idempotencyHeader\":\"content-type\"}        | targets[0].idempotencyHeader: 'content-type' is set by the channel itself",
      "{\"url\":\"http://h/\",\"timeoutMs\":0}        | targets[0].timeoutMs: must be between 1 and 600000, got 0",
      "{\"url\":\"http://h/\",\"timeoutMs\":1.5}      | targets[0].timeoutMs: must be a whole number, got 1.5",
      "{\"url\":\"http://h/\",\"maxConnections\":0}   | targets[0].maxConnections: must be between 1 and 1024, got 0",
      "{\"url\":\"http://h/\",\"contentType\":\"\"}   | targets[0].contentType: must be a non-empty header value",
      "{\"url\":\"http://h/\",\"contentType\":\"a\\nb\"} | targets[0].contentType: must be a non-empty header value",
      "{\"url\":\"http://h/\",\"tlsTrustAll\":\"yes\"} | targets[0].tlsTrustAll: must be true or false, got 'yes'",
      "{\"url\":\"http://h/\",\"urll\":\"http://h/\"} | targets[0].urll: unknown key",
  })
  void verifiesThatEveryErrorNamesThePathAtFault(String json, String expectedStart) {
    String message = error(json);
    assertTrue(message.startsWith(expectedStart), message);
  }

  @Test
  void verifiesThatNoErrorQuotesASecret() {
    List<String> configs = List.of(
        "{\"url\":\"http://user:s3cret-token@h/\"}",
        "{\"url\":\"http://h/\",\"headers\":{\"Authorization\":\"Bearer s3cret-token\\n\"}}",
        "{\"url\":\"http://h/\",\"headers\":{\"Authorization\":{\"env\":\"NEWLINE\"}}}");
    for (String json : configs) {
      String message = error(json);
      assertFalse(message.contains("s3cret"), message);
    }
  }
}
