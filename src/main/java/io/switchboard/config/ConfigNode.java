package io.switchboard.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A JSON config object together with its path from the root, so that every error names the key at
 * fault ({@code reorder.windowMs: must be ≥ 0, got -5}). Unknown keys are rejected: a typo in a
 * production config must fail the start, not be silently ignored.
 */
public final class ConfigNode {

  private final JsonObject json;
  private final String path;

  public ConfigNode(JsonObject json, String path) {
    this.json = Objects.requireNonNull(json, "json");
    this.path = Objects.requireNonNull(path, "path");
  }

  public static ConfigNode root(JsonObject json) {
    return new ConfigNode(json, "");
  }

  public String path(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public String path() {
    return path.isEmpty() ? "(root)" : path;
  }

  public JsonObject json() {
    return json;
  }

  /** Fails on any key not in {@code known}; keys starting with {@code _} are comments. */
  public ConfigNode allowOnly(Set<String> known) {
    for (String key : json.fieldNames()) {
      if (!key.startsWith("_") && !known.contains(key)) {
        throw new ConfigException(path(key), "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
    return this;
  }

  public ConfigNode object(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return new ConfigNode(new JsonObject(), path(key));
    }
    if (!(value instanceof JsonObject obj)) {
      throw new ConfigException(path(key), "must be an object, got " + describe(value));
    }
    return new ConfigNode(obj, path(key));
  }

  public List<ConfigNode> objects(String key) {
    Object value = json.getValue(key);
    List<ConfigNode> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof JsonArray array)) {
      throw new ConfigException(path(key), "must be an array, got " + describe(value));
    }
    for (int i = 0; i < array.size(); i++) {
      Object item = array.getValue(i);
      String itemPath = path(key) + "[" + i + "]";
      if (!(item instanceof JsonObject obj)) {
        throw new ConfigException(itemPath, "must be an object, got " + describe(item));
      }
      out.add(new ConfigNode(obj, itemPath));
    }
    return out;
  }

  public long longValue(String key, long defaultValue, long min, long max) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw new ConfigException(path(key), "must be a whole number, got " + describe(value));
    }
    long v = n.longValue();
    if (v < min || v > max) {
      throw new ConfigException(path(key), "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public double doubleValue(String key, double defaultValue, double min, double max) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Number n)) {
      throw new ConfigException(path(key), "must be a number, got " + describe(value));
    }
    double v = n.doubleValue();
    if (!(v >= min && v <= max)) {
      throw new ConfigException(path(key), "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  public int intValue(String key, int defaultValue, int min, int max) {
    return (int) longValue(key, defaultValue, min, max);
  }

  public boolean bool(String key, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof Boolean b)) {
      throw new ConfigException(path(key), "must be true or false, got " + describe(value));
    }
    return b;
  }

  public String string(String key, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (!(value instanceof String s)) {
      throw new ConfigException(path(key), "must be a string, got " + describe(value));
    }
    return s;
  }

  public String requiredString(String key) {
    String s = string(key, null);
    if (s == null || s.isBlank()) {
      throw new ConfigException(path(key), "is required");
    }
    return s;
  }

  public String oneOf(String key, String defaultValue, Set<String> allowed) {
    String s = string(key, defaultValue);
    if (!allowed.contains(s)) {
      throw new ConfigException(path(key), "must be one of " + allowed + ", got '" + s + "'");
    }
    return s;
  }

  private static String describe(Object value) {
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    return value instanceof JsonObject ? "an object" : value instanceof JsonArray ? "an array" : String.valueOf(value);
  }
}
