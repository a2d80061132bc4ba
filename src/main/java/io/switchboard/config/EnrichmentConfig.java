package io.switchboard.config;

import io.vertx.core.json.JsonArray;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Optional conversation enrichment ({@code state.enrichment}): on a trigger event the state stage fetches
 * {@code GET /api/v2/conversations/{id}} and attaches a compact summary to the conversation's snapshot.
 *
 * <p>Why under {@code state} and not {@code genesys}: what it changes is the state stage — which of its events wait,
 * for how long, what its snapshots carry and what its shards keep — and {@code on} names the lifecycle's event types.
 * The {@code genesys} section stays "how to reach Genesys" (hosts, credentials, the node's shared request budget),
 * which enrichment uses as the Genesys sources do from {@code sources[]}; enabling it without that section is a
 * config error ({@code SwitchboardConfig}).
 *
 * @param enabled     off by default
 * @param on          the event types that trigger a fetch; empty for {@code "first"}: a conversation's first event
 *                    (and, after a failed fetch, its next one)
 * @param timeoutMs   the longest a trigger event waits for its summary before it goes on without it; 0: never waits
 *                    (the summary reaches later events only)
 * @param cacheSeconds with listed types: a summary younger than this is reused instead of fetched again
 * @param maxCached   summaries kept per state shard (least recently fetched dropped first)
 * @param maxAttempts failed fetches in a row after which a conversation is no longer fetched (1: never retried);
 *                    a failed fetch is retried by the conversation's next trigger event
 * @param maxInFlight fetches running at once per state shard; a trigger beyond it goes on unenriched
 */
public record EnrichmentConfig(boolean enabled, Set<String> on, long timeoutMs, long cacheSeconds, int maxCached,
                               int maxAttempts, int maxInFlight) {

  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_-]*(\\.[a-z0-9_-]+)*");

  public EnrichmentConfig {
    on = Set.copyOf(on);
  }

  /** Whether a conversation's first event triggers (rather than listed event types). */
  public boolean onFirst() {
    return on.isEmpty();
  }

  static EnrichmentConfig from(ConfigNode node) {
    node.allowOnly(Set.of("enabled", "on", "timeoutMs", "cacheSeconds", "maxCached", "maxAttempts", "maxInFlight"));
    return new EnrichmentConfig(node.bool("enabled", false), on(node),
        node.longValue("timeoutMs", 500, 0, 60_000),
        node.longValue("cacheSeconds", 600, 0, 7L * 24 * 3600),
        node.intValue("maxCached", 10_000, 1, 10_000_000),
        node.intValue("maxAttempts", 3, 1, 100),
        node.intValue("maxInFlight", 4, 1, 10_000));
  }

  private static Set<String> on(ConfigNode node) {
    Object value = node.json().getValue("on");
    if (value == null || "first".equals(value)) {
      return Set.of();
    }
    if (!(value instanceof JsonArray types) || types.isEmpty()) {
      throw new ConfigException(node.path("on"), "must be \"first\" or a non-empty list of event types "
          + "(e.g. [\"acd.start\", \"customer.end\"]), got " + (value instanceof String s ? "'" + s + "'" : value));
    }
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < types.size(); i++) {
      Object type = types.getValue(i);
      String at = node.path("on") + "[" + i + "]";
      if (!(type instanceof String s) || !EVENT_TYPE.matcher(s).matches()) {
        throw new ConfigException(at, "must be an event type such as \"acd.start\", got " + type);
      }
      if (!out.add(s)) {
        throw new ConfigException(at, "duplicate event type '" + s + "'");
      }
    }
    return out;
  }
}
