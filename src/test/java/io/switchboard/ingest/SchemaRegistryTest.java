package io.switchboard.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("SchemaRegistry")
class SchemaRegistryTest {

  private final SchemaRegistry schemas = TestSupport.schemas();

  private static JsonObject body(String sample) {
    return TestSupport.sample(sample).getJsonObject("detail").getJsonObject("eventBody");
  }

  @Test
  @DisplayName("verifies that conf/schemas holds exactly the default schemas and all of them load")
  void verifiesThatShippedSchemasMatchDefaultNames() throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(TestSupport.SCHEMA_DIR)) {
      files = list.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    }

    assertEquals(new TreeSet<>(SchemaRegistry.DEFAULT_NAMES.stream().map(SchemaRegistry::fileName).toList()), files);
    assertEquals(Set.copyOf(SchemaRegistry.DEFAULT_NAMES), schemas.names());
    assertEquals(18, SchemaRegistry.DEFAULT_NAMES.size());
  }

  @Test
  @DisplayName("verifies that every per-type schema requires only eventTime, is open and has no enums")
  void verifiesThatOnlyEventTimeIsRequired() {
    for (String type : Topics.KNOWN_EVENT_TYPES) {
      JsonObject schema = new JsonObject(TestSupport.readSchemaFile(SchemaRegistry.fileName(type)));

      assertEquals(new JsonArray().add("eventTime"), schema.getJsonArray("required"), type);
      assertEquals("integer", schema.getJsonObject("properties").getJsonObject("eventTime").getString("type"), type);
      assertEquals(Boolean.TRUE, schema.getValue("additionalProperties"), type + " must allow fields Genesys adds");
      assertTrue(!schema.encode().contains("\"enum\""), type + " must not use enum: Genesys adds values");
      assertNull(schemas.validate(type, new JsonObject().put("eventTime", 1741701795506L)), type);
      assertEquals("/eventTime: required property missing", schemas.validate(type, new JsonObject()), type);
    }
  }

  @Test
  @DisplayName("verifies that a valid envelope and body pass")
  void verifiesThatValidSamplesPass() {
    assertNull(schemas.validate(SchemaRegistry.ENVELOPE, TestSupport.sample("eb-voice-05-acd-end.json")));
    assertNull(schemas.validate("acd.end", body("eb-voice-05-acd-end.json")));
    assertNull(schemas.validate(SchemaRegistry.NOTIFICATION, TestSupport.sample("ws-msg-detail-acd-start.json")));
    assertNull(schemas.validate("attributes", body("edge-oversized-attributes.json")));
  }

  @Test
  @DisplayName("verifies that errors name each location with expected and actual type, under the given prefix")
  void verifiesThatErrorsAreReadable() {
    JsonObject body = body("eb-voice-04-acd-start.json")
        .put("eventTime", "2025-03-11T14:02:29.022Z")
        .put("skillExpressionApplied", "no");

    assertEquals("/detail/eventBody/eventTime: expected integer, got string; "
            + "/detail/eventBody/skillExpressionApplied: expected boolean or null, got string",
        schemas.validate("acd.start", body, "/detail/eventBody"));
  }

  @Test
  @DisplayName("verifies that array fields given as a scalar and wrong item types are rejected")
  void verifiesThatArrayTypesAreChecked() {
    assertEquals("/requestedRoutingSkillIds: expected array or null, got string",
        schemas.validate("acd.end", body("eb-voice-05-acd-end.json").put("requestedRoutingSkillIds", "c991")));
    assertEquals("/requestedRoutingSkillIds/1: expected string, got number",
        schemas.validate("acd.end", body("eb-voice-05-acd-end.json")
            .put("requestedRoutingSkillIds", new JsonArray().add("a").add(7))));
  }

  @Test
  @DisplayName("verifies that unknown enum values, nulls, extra fields and a non-UUID CorrelationId pass")
  void verifiesThatTolerantRulesHold() {
    JsonObject envelope = TestSupport.sample("eb-voice-05-acd-end.json").put("extra", List.of(1));
    envelope.getJsonObject("detail").put("extra", "x").getJsonObject("metadata")
        .put("CorrelationId", "0eefaa6c-b0dd-41dc-8a6a-b8bcfebfb728-archival");
    envelope.getJsonObject("detail").getJsonObject("eventBody")
        .put("acdOutcome", "NOT_YET_INVENTED")
        .put("mediaType", "voice")
        .putNull("queueId")
        .put("newThing", Map.of("k", 1));

    assertNull(schemas.validate(SchemaRegistry.ENVELOPE, envelope));
    assertNull(schemas.validate("acd.end", envelope.getJsonObject("detail").getJsonObject("eventBody")));
  }

  @Test
  @DisplayName("verifies that the envelope requires its fields and a string detail.version")
  void verifiesThatEnvelopeRulesHold() {
    JsonObject envelope = TestSupport.sample("eb-voice-01-customer-start.json");
    envelope.remove("id");
    envelope.getJsonObject("detail").put("version", 2).remove("eventBody");

    assertEquals("/id: required property missing; /detail/eventBody: required property missing; "
        + "/detail/version: expected string, got number", schemas.validate(SchemaRegistry.ENVELOPE, envelope));
  }

  @Test
  @DisplayName("verifies that a root type error is reported at /")
  void verifiesThatRootErrorsAreLocated() {
    assertEquals("/: expected object, got array", schemas.validate(SchemaRegistry.NOTIFICATION, new JsonArray()));
  }

  @Test
  @DisplayName("verifies that the documents given to the registry are not modified")
  void verifiesThatInputSchemasAreNotMutated() {
    JsonObject schema = new JsonObject(TestSupport.readSchemaFile("acd.end.schema.json"));
    String before = schema.encode();

    SchemaRegistry registry = new SchemaRegistry(Map.of("acd.end", schema));

    assertEquals(before, schema.encode());
    assertNull(registry.validate("acd.end", new JsonObject().put("eventTime", 1)));
  }

  @Test
  @DisplayName("verifies that loading names the missing or broken file")
  void verifiesThatLoadFailuresNameTheFile() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> SchemaRegistry.load(file -> null, List.of("acd.end")));
    IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
        () -> SchemaRegistry.load(file -> "{\"type\": ", List.of("acw")));
    IllegalArgumentException array = assertThrows(IllegalArgumentException.class,
        () -> SchemaRegistry.load(file -> "[]", List.of("acw")));

    assertTrue(missing.getMessage().contains("acd.end.schema.json"), missing.getMessage());
    assertTrue(broken.getMessage().contains("acw.schema.json"), broken.getMessage());
    assertTrue(array.getMessage().contains("acw.schema.json"), array.getMessage());
  }

  @Test
  @DisplayName("verifies that schemas may reference each other through the shared repository")
  void verifiesThatCrossSchemaRefsResolve() {
    JsonObject id = new JsonObject().put("type", "string").put("minLength", 36);
    JsonObject user = new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("userId", new JsonObject().put("$ref", "uuid.schema.json")));

    SchemaRegistry registry = new SchemaRegistry(Map.of("uuid", id, "user", user));

    assertNull(registry.validate("user", new JsonObject().put("userId", "2a82977a-fb91-4f81-b300-33f719a7ae7a")));
    assertTrue(registry.validate("user", new JsonObject().put("userId", "short")).startsWith("/userId"));
  }

  @Test
  @DisplayName("verifies that asking for an unknown schema is an error, not a pass")
  void verifiesThatUnknownSchemaNameThrows() {
    assertThrows(IllegalArgumentException.class, () -> schemas.validate("no.such.type", new JsonObject()));
  }
}
