package io.switchboard.config;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The dead-letter writer: where, how often it fsyncs, when it rotates, and which payload fields it blanks.
 *
 * @param redact JSON pointers into each dead letter's payload whose values are replaced before writing
 */
public record DeadLetterConfig(String dir, int fsyncBatch, long fsyncIntervalMillis, long rotateBytes,
                               List<String> redact) {

  public DeadLetterConfig {
    redact = List.copyOf(redact);
  }

  static DeadLetterConfig from(ConfigNode node) {
    node.allowOnly(Set.of("dir", "fsyncBatch", "fsyncIntervalMs", "rotateBytes", "redact"));
    List<String> redact = new ArrayList<>();
    Object declared = node.json().getValue("redact");
    if (declared != null) {
      if (!(declared instanceof JsonArray array)) {
        throw new ConfigException(node.path("redact"), "must be an array of JSON pointers, e.g. [\"/detail/eventBody/ani\"]");
      }
      for (int i = 0; i < array.size(); i++) {
        Object pointer = array.getValue(i);
        String path = node.path("redact") + "[" + i + "]";
        if (!(pointer instanceof String text) || !text.startsWith("/")) {
          throw new ConfigException(path, "must be a JSON pointer starting with '/', got " + pointer);
        }
        redact.add(text);
      }
    }
    return new DeadLetterConfig(
        node.string("dir", "data/dlq"),
        node.intValue("fsyncBatch", 64, 1, 100_000),
        node.longValue("fsyncIntervalMs", 50, 1, 60_000),
        node.longValue("rotateBytes", 64L * 1024 * 1024, 4096, Long.MAX_VALUE),
        redact);
  }
}
