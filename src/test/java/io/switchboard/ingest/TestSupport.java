package io.switchboard.ingest;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Sample payloads from the test classpath and the shipped schemas from conf/schemas (cwd = project root). */
final class TestSupport {

  static final Path SCHEMA_DIR = Path.of("conf", "schemas");
  static final Path SAMPLE_DIR = Path.of("src", "test", "resources", "samples");

  private static SchemaRegistry registry;

  private TestSupport() {
  }

  static synchronized SchemaRegistry schemas() {
    if (registry == null) {
      registry = SchemaRegistry.load(TestSupport::readSchemaFile, SchemaRegistry.DEFAULT_NAMES);
    }
    return registry;
  }

  static String readSchemaFile(String fileName) {
    try {
      return Files.readString(SCHEMA_DIR.resolve(fileName), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Buffer sampleBytes(String name) {
    try (InputStream in = TestSupport.class.getResourceAsStream("/samples/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject sample(String name) {
    return (JsonObject) sampleBytes(name).toJsonValue();
  }
}
