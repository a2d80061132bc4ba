package io.switchboard.config;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * One delivery target. Only the {@code file} type exists in this release; its options sit in
 * {@code options} so that later types add their own without reshaping the common fields.
 */
public record TargetConfig(String id, String type, boolean enabled, ConfigNode options) {

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final Set<String> TYPES = Set.of("file");

  static TargetConfig from(ConfigNode node) {
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + " (it becomes an event-bus address), got '" + id + "'");
    }
    String type = node.oneOf("type", null, TYPES);
    return new TargetConfig(id, type, node.bool("enabled", true), node);
  }
}
