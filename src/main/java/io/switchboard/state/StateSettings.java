package io.switchboard.state;

import io.vertx.core.json.JsonObject;

import java.util.Set;

/**
 * Bounds of the per-shard conversation store, validated at construction.
 *
 * @param closedRetentionMillis how long a terminal conversation stays readable (late events, GET) after it ended
 * @param idleRetentionMillis   evicts any conversation without an applied event for this long; also retires
 *                              conversations that never reach a terminal state (no acw configured, lost events)
 * @param maxConversations      per shard; beyond it the least recently active conversation is evicted
 * @param lastEvents            size of each conversation's last-events ring
 * @param maxAttributeBytes     bound on the attribute values a conversation keeps (UTF-8 bytes)
 * @param flagViolations        an event the lifecycle rejects is recorded as flagged (state unchanged) and
 *                              delivered with its violation, instead of being dead-lettered
 */
public record StateSettings(
    long closedRetentionMillis,
    long idleRetentionMillis,
    int maxConversations,
    int lastEvents,
    int maxAttributeBytes,
    boolean flagViolations) {

  /**
   * 5 min after the end for stragglers; 8 h idle because messaging conversations pause for hours (the
   * multichannel sample waits 50 min for its callback); 50,000 per shard at up to ~2 KiB each bounds a shard's
   * conversations near 100 MB.
   */
  public static final StateSettings DEFAULTS = new StateSettings(300_000, 8 * 3_600_000L, 50_000, 20, 1024);

  private static final Set<String> KEYS = Set.of(
      "closedRetentionMillis", "idleRetentionMillis", "maxConversations", "lastEvents", "maxAttributeBytes",
      "flagViolations");

  /** Violations dead-lettered (the default). */
  public StateSettings(long closedRetentionMillis, long idleRetentionMillis, int maxConversations, int lastEvents,
      int maxAttributeBytes) {
    this(closedRetentionMillis, idleRetentionMillis, maxConversations, lastEvents, maxAttributeBytes, false);
  }

  public StateSettings {
    require(closedRetentionMillis >= 0, "closedRetentionMillis", closedRetentionMillis);
    require(idleRetentionMillis > 0, "idleRetentionMillis", idleRetentionMillis);
    require(maxConversations > 0, "maxConversations", maxConversations);
    require(lastEvents > 0 && lastEvents <= 1000, "lastEvents", lastEvents);
    require(maxAttributeBytes >= 0, "maxAttributeBytes", maxAttributeBytes);
  }

  /** Reads the settings object found at {@code path}; absent keys take {@link #DEFAULTS}. */
  public static StateSettings fromJson(JsonObject json, String path) {
    JsonObject in = json == null ? new JsonObject() : json;
    for (String key : in.fieldNames()) {
      if (!key.startsWith("_") && !KEYS.contains(key)) {
        throw new IllegalArgumentException(path + "." + key + ": unknown key");
      }
    }
    try {
      return new StateSettings(
          number(in, path, "closedRetentionMillis", DEFAULTS.closedRetentionMillis),
          number(in, path, "idleRetentionMillis", DEFAULTS.idleRetentionMillis),
          (int) number(in, path, "maxConversations", DEFAULTS.maxConversations),
          (int) number(in, path, "lastEvents", DEFAULTS.lastEvents),
          (int) number(in, path, "maxAttributeBytes", DEFAULTS.maxAttributeBytes),
          flag(in, path, "flagViolations", DEFAULTS.flagViolations));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith(path) ? e : new IllegalArgumentException(path + "." + e.getMessage(), e);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("closedRetentionMillis", closedRetentionMillis)
        .put("idleRetentionMillis", idleRetentionMillis)
        .put("maxConversations", maxConversations)
        .put("lastEvents", lastEvents)
        .put("maxAttributeBytes", maxAttributeBytes)
        .put("flagViolations", flagViolations);
  }

  /** The same settings with violations flagged ({@code true}) or dead-lettered. */
  public StateSettings withFlagViolations(boolean flag) {
    return new StateSettings(closedRetentionMillis, idleRetentionMillis, maxConversations, lastEvents,
        maxAttributeBytes, flag);
  }

  private static boolean flag(JsonObject in, String path, String key, boolean defaultValue) {
    Object raw = in.getValue(key);
    if (raw == null) {
      return defaultValue;
    }
    if (!(raw instanceof Boolean)) {
      throw new IllegalArgumentException(path + "." + key + ": must be true or false, got " + raw);
    }
    return (Boolean) raw;
  }

  private static long number(JsonObject in, String path, String key, long defaultValue) {
    Object raw = in.getValue(key);
    if (raw == null) {
      return defaultValue;
    }
    if (!(raw instanceof Number) || ((Number) raw).doubleValue() != Math.rint(((Number) raw).doubleValue())
        || Math.abs(((Number) raw).doubleValue()) > Integer.MAX_VALUE * 1_000_000.0) {
      throw new IllegalArgumentException(path + "." + key + ": must be an integer, got " + raw);
    }
    long value = ((Number) raw).longValue();
    if (!"closedRetentionMillis".equals(key) && !"idleRetentionMillis".equals(key) && value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + "." + key + ": too large: " + raw);
    }
    return value;
  }

  private static void require(boolean ok, String key, long value) {
    if (!ok) {
      throw new IllegalArgumentException(key + ": out of range: " + value);
    }
  }
}
