package io.switchboard.config;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One delivery target: the settings every type shares (payload shape, queue, rate limit, parking) read here. The
 * parts that belong to dispatch (the type's own keys in {@code options}, the {@code filter} and {@code retry}
 * objects) are kept as config nodes and checked through the {@link TargetCatalog} at parse time; dispatch builds its
 * filter, retry policy and channel from them.
 *
 * @param instances       dispatcher instances; conversations are spread over them by hash, so each
 *                        conversation's order holds at the target
 * @param filterNode      the {@code filter} object (EventBridge event pattern); each dispatcher instance
 *                        compiles its own filter from it
 * @param retry           the {@code retry} object, empty when absent; dispatch reads its retry policy from it
 * @param enriched        deliver the enriched wrapper instead of the original envelope
 * @param queueCapacity   events held in memory per instance before overflow is parked
 * @param maxInFlight     concurrent deliveries per instance (records, for a batching type); the type's default
 *                        when absent (16; 2000 for kinesis and kafka)
 * @param ratePerSecond   events/s limit per instance, 0 for none
 * @param parkMaxBytes    bound of the durable overflow store; 0 disables parking (a full queue then
 *                        pushes back to the sources through settlement)
 * @param failingAfterMillis a target failing this long is reported not ready in {@code /ready}
 */
public record TargetConfig(String id, String type, boolean enabled, int instances, ConfigNode filterNode,
                           boolean enriched, String sourceRegion, ConfigNode retry, int queueCapacity,
                           int maxInFlight, long ratePerSecond, long rateBurst, long parkMaxBytes,
                           long failingAfterMillis, ConfigNode options) {

  /** Keys every target accepts; a type's options add their own. */
  public static final Set<String> COMMON_KEYS = Set.of("id", "type", "enabled", "instances", "filter", "payload",
      "retry", "queue", "rateLimit", "park", "failingAfterSeconds");

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  static TargetConfig from(ConfigNode node, TargetCatalog types) {
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + " (it becomes an event-bus address), got '" + id + "'");
    }
    String type = node.oneOf("type", null, types.typeNames());
    ConfigNode payload = node.object("payload").allowOnly(Set.of("shape", "sourceRegion"));
    ConfigNode queue = node.object("queue").allowOnly(Set.of("capacity", "maxInFlight"));
    ConfigNode rate = node.object("rateLimit").allowOnly(Set.of("eventsPerSecond", "burst"));
    ConfigNode park = node.object("park").allowOnly(Set.of("maxBytes"));
    long ratePerSecond = rate.longValue("eventsPerSecond", 0, 0, 1_000_000);
    TargetConfig target = new TargetConfig(id, type, node.bool("enabled", true),
        node.intValue("instances", 1, 1, 64),
        node.object("filter"),
        "enriched".equals(payload.oneOf("shape", "original", Set.of("original", "enriched"))),
        payload.string("sourceRegion", null),
        node.object("retry"),
        queue.intValue("capacity", 10_000, 1, 10_000_000),
        queue.intValue("maxInFlight", types.defaultMaxInFlight(type), 1, 100_000),
        ratePerSecond,
        rate.longValue("burst", Math.max(1, ratePerSecond), 1, 10_000_000),
        park.longValue("maxBytes", 1L << 30, 0, Long.MAX_VALUE),
        node.longValue("failingAfterSeconds", 60, 1, 7 * 24 * 3600) * 1000,
        node);
    types.check(target);
    return target;
  }

  /** The allowed keys of a type: the common ones plus {@code own}. */
  public static Set<String> keysWith(Set<String> own) {
    Set<String> keys = new HashSet<>(COMMON_KEYS);
    keys.addAll(own);
    return keys;
  }
}
