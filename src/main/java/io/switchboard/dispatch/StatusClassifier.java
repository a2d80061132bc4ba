package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps an HTTP status to a {@link StatusClass} through patterns such as {@code "404"} or {@code "4xx"}; an
 * exact code beats its hundred, whatever the order in the config.
 *
 * <p>Defaults: 2xx success; 408, 429 and 5xx retry; every other 1xx, 3xx and 4xx dead-letter. A 3xx only
 * reaches the policy when the client did not follow it, which means a wrong URL that no retry will fix.
 * EventBridge API destinations also retry 401, 407 and 409; we do not by default, because for a webhook
 * they mostly mean bad credentials or a business conflict, and retrying them only delays the dead letter.
 * Configured patterns are merged key by key over the defaults, so {@code {"4xx": "retry"}} leaves 408 and
 * 429 as they are. Codes outside 100–599 are not HTTP and are dead-lettered.
 */
public final class StatusClassifier {

  private static final Pattern PATTERN = Pattern.compile("[1-5](?:xx|[0-9]{2})");
  private static final Map<String, StatusClass> DEFAULTS = Map.of(
      "1xx", StatusClass.DEADLETTER,
      "2xx", StatusClass.SUCCESS,
      "3xx", StatusClass.DEADLETTER,
      "4xx", StatusClass.DEADLETTER,
      "408", StatusClass.RETRY,
      "429", StatusClass.RETRY,
      "5xx", StatusClass.RETRY);
  private static final StatusClassifier DEFAULT = new StatusClassifier(DEFAULTS);

  private final Map<String, StatusClass> patterns;
  /** The class of every status 100–599, resolved once: classifying is on every delivery's path. */
  private final StatusClass[] byStatus = new StatusClass[600];

  private StatusClassifier(Map<String, StatusClass> patterns) {
    this.patterns = Collections.unmodifiableMap(new TreeMap<>(patterns));
    for (int status = 100; status < 600; status++) {
      String pattern = patternFor(status);
      byStatus[status] = pattern == null ? StatusClass.DEADLETTER : this.patterns.get(pattern);
    }
  }

  /** The built-in classification. */
  public static StatusClassifier defaults() {
    return DEFAULT;
  }

  /** The defaults overlaid with the patterns of a {@code statusClasses} object; errors name the key. */
  public static StatusClassifier from(ConfigNode node) {
    Objects.requireNonNull(node, "node");
    Map<String, StatusClass> merged = new TreeMap<>(DEFAULTS);
    for (String key : node.json().fieldNames()) {
      if (key.startsWith("_")) {
        continue; // comment keys, as everywhere else in the config
      }
      if (!PATTERN.matcher(key).matches()) {
        throw new ConfigException(node.path(key),
            "must be a status code from 100 to 599 (\"404\") or a status class (\"4xx\")");
      }
      String value = node.string(key, null);
      merged.put(key, StatusClass.fromConfigName(value).orElseThrow(() -> new ConfigException(node.path(key),
          "must be one of success, retry, deadletter, got " + (value == null ? "null" : "'" + value + "'"))));
    }
    return new StatusClassifier(merged);
  }

  public StatusClass classify(int status) {
    return status < 100 || status > 599 ? StatusClass.DEADLETTER : byStatus[status];
  }

  /** The pattern that decides {@code status}, or {@code null} when none does (not an HTTP status). */
  public String patternFor(int status) {
    if (status < 100 || status > 599) {
      return null;
    }
    String exact = Integer.toString(status);
    if (patterns.containsKey(exact)) {
      return exact;
    }
    String hundred = (status / 100) + "xx";
    return patterns.containsKey(hundred) ? hundred : null;
  }

  /** Every pattern in force, defaults included, in the shape {@link #from} reads. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    patterns.forEach((pattern, cls) -> json.put(pattern, cls.configName()));
    return json;
  }
}
