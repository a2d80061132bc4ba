package io.switchboard.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The compiled fast path may only ever say "valid" when vertx-json-schema says so too: checked on every
 * sample and on thousands of mutated ones, against every shipped schema.
 */
class CompiledSchemaTest {

  private static JsonObject read(Path p) {
    try {
      return new JsonObject(Files.readString(p));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Path> files(String dir, String glob) throws IOException {
    try (Stream<Path> s = Files.list(Path.of(dir))) {
      return s.filter(p -> p.getFileName().toString().matches(glob)).sorted().toList();
    }
  }

  private static Validator library(JsonObject schema) {
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012)
        .setBaseUri("https://switchboard.invalid/schemas/").setOutputFormat(OutputFormat.Flag);
    return SchemaRepository.create(options).validator(JsonSchema.of(schema), options);
  }

  @Test
  void verifiesThatEveryShippedSchemaCompilesToTheFastPath() throws IOException {
    for (Path p : files("conf/schemas", ".*\\.schema\\.json")) {
      assertNotNull(CompiledSchema.compile(read(p)), p + " uses a keyword the fast path does not know");
    }
  }

  @Test
  void verifiesThatTheFastPathNeverAcceptsWhatTheLibraryRejects() throws IOException {
    List<JsonObject> instances = new ArrayList<>();
    for (Path p : files("src/test/resources/samples", "(eb|edge|ws)-.*\\.json")) {
      JsonObject sample = read(p);
      instances.add(sample);
      JsonObject detail = sample.getJsonObject("detail");
      Object body = detail != null ? detail.getValue("eventBody") : sample.getValue("eventBody");
      if (body instanceof JsonObject b) {
        instances.add(b);
      }
    }
    Random random = new Random(7);
    List<Object> replacements = List.of("text", 42, 4.5, 7.0, true, new JsonObject(), new JsonArray().add(1),
        new JsonArray().add("s"), "");
    int base = instances.size();
    for (int i = 0; i < 3000; i++) {
      JsonObject mutated = instances.get(random.nextInt(base)).copy();
      mutate(mutated, random, replacements);
      instances.add(mutated);
    }
    int accepted = 0;
    for (Path p : files("conf/schemas", ".*\\.schema\\.json")) {
      JsonObject schema = read(p);
      CompiledSchema fast = CompiledSchema.compile(schema);
      Validator slow = library(schema);
      for (JsonObject instance : instances) {
        if (fast.accepts(instance)) {
          accepted++;
          assertEquals(true, slow.validate(instance).getValid(), p.getFileName() + " fast path accepted " + instance.encode());
        }
      }
    }
    assertFalse(accepted == 0, "the fast path must accept the valid samples, or it is useless");
  }

  /** Replaces, removes or nulls one field somewhere in the document. */
  private static void mutate(JsonObject json, Random random, List<Object> replacements) {
    JsonObject target = json;
    for (int depth = 0; depth < 3; depth++) {
      JsonObject current = target;
      List<String> objects = current.fieldNames().stream().filter(k -> current.getValue(k) instanceof JsonObject).toList();
      if (objects.isEmpty() || random.nextBoolean()) {
        break;
      }
      target = current.getJsonObject(objects.get(random.nextInt(objects.size())));
    }
    List<String> keys = new ArrayList<>(target.fieldNames());
    if (keys.isEmpty()) {
      return;
    }
    String key = keys.get(random.nextInt(keys.size()));
    switch (random.nextInt(3)) {
      case 0 -> target.remove(key);
      case 1 -> target.putNull(key);
      default -> target.put(key, replacements.get(random.nextInt(replacements.size())));
    }
  }

  @Test
  void verifiesThatUnsupportedKeywordsFallBackToTheLibrary() {
    assertNull(CompiledSchema.compile(new JsonObject().put("type", "string").put("pattern", "^a")));
    assertNull(CompiledSchema.compile(new JsonObject().put("$ref", "other.json")));
    assertNull(CompiledSchema.compile(new JsonObject().put("enum", new JsonArray().add("A"))));
  }

  @Test
  void verifiesIntegerAndAdditionalPropertiesSemantics() {
    CompiledSchema schema = CompiledSchema.compile(new JsonObject().put("type", "object")
        .put("properties", new JsonObject().put("n", new JsonObject().put("type", "integer")))
        .put("additionalProperties", false));
    assertEquals(true, schema.accepts(new JsonObject().put("n", 5)));
    assertEquals(true, schema.accepts(new JsonObject().put("n", 5.0)), "5.0 is an integer in JSON Schema");
    assertEquals(false, schema.accepts(new JsonObject().put("n", 5.5)));
    assertEquals(false, schema.accepts(new JsonObject().put("n", 5).put("extra", 1)));
  }
}
