package io.switchboard.dryrun;

import io.switchboard.config.ConfigException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the JSON Schemas ({@code schemas.dir}) and the lifecycle ({@code state.lifecycle}) as the server's
 * {@code MainVerticle} does: from the file system, else the copy embedded in the jar under the same relative path
 * (Vert.x's file resolver falls back to the class path the same way). Failures are the server's, word for word up to
 * the underlying I/O message: a {@link ConfigException} naming {@code schemas.dir} or {@code state.lifecycle}.
 */
final class PipelineFiles {

  private PipelineFiles() {
  }

  static SchemaRegistry schemas(SwitchboardConfig config) {
    Map<String, JsonObject> schemas = new LinkedHashMap<>();
    for (String name : SchemaRegistry.DEFAULT_NAMES) {
      String path = config.schemasDir() + "/" + SchemaRegistry.fileName(name);
      try {
        schemas.put(name, new JsonObject(read(path)));
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("schemas.dir", "cannot read schema " + path + ": " + e.getMessage());
      }
    }
    return new SchemaRegistry(schemas);
  }

  /** @throws io.vertx.core.json.DecodeException when the file is not JSON, unwrapped, as the server reports it */
  static LifecycleDefinition lifecycle(SwitchboardConfig config) {
    String path = config.state().lifecycle();
    String text;
    try {
      text = read(path);
    } catch (IOException e) {
      throw new ConfigException("state.lifecycle", "cannot read " + path + ": " + e.getMessage());
    }
    try {
      return LifecycleDefinition.fromJson(new JsonObject(text));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("state.lifecycle", path + ": " + e.getMessage());
    }
  }

  /** The file at {@code path}, else (for a relative path) the jar's resource of that name. */
  private static String read(String path) throws IOException {
    Path file = Path.of(path);
    if (Files.isRegularFile(file)) {
      return Files.readString(file, StandardCharsets.UTF_8);
    }
    if (!file.isAbsolute()) {
      try (InputStream in = PipelineFiles.class.getClassLoader().getResourceAsStream(path)) {
        if (in != null) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    // Vert.x's words, so that the message is the server's.
    throw new IOException("Unable to read file at path '" + path + "'");
  }
}
