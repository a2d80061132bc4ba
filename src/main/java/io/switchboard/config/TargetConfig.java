package io.switchboard.config;

import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.filter.EventFilter;
import io.switchboard.filter.FilterInput;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One delivery target: the settings every type shares (filter, payload shape, retry, queue, rate limit,
 * parking) validated here; the type's own keys stay in {@code options} for its channel to parse.
 *
 * @param instances       dispatcher instances; conversations are spread over them by hash, so each
 *                        conversation's order holds at the target
 * @param filterNode      the {@code filter} object (EventBridge event pattern); each dispatcher instance
 *                        compiles its own {@link EventFilter} from it
 * @param enriched        deliver the enriched wrapper instead of the original envelope
 * @param queueCapacity   events held in memory per instance before overflow is parked
 * @param maxInFlight     concurrent deliveries per instance (records, for a batching type); 16, or 2000 for kinesis
 * @param ratePerSecond   events/s limit per instance, 0 for none
 * @param parkMaxBytes    bound of the durable overflow store; 0 disables parking (a full queue then
 *                        pushes back to the sources through settlement)
 * @param failingAfterMillis a target failing this long is reported not ready in {@code /ready}
 */
public record TargetConfig(String id, String type, boolean enabled, int instances, ConfigNode filterNode,
                           boolean enriched, String sourceRegion, RetryPolicy retry, int queueCapacity,
                           int maxInFlight, long ratePerSecond, long rateBurst, long parkMaxBytes,
                           long failingAfterMillis, ConfigNode options) {

  /** Keys every target accepts; a type's options add their own. */
  public static final Set<String> COMMON_KEYS = Set.of("id", "type", "enabled", "instances", "filter", "payload",
      "retry", "queue", "rateLimit", "park", "failingAfterSeconds");

  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  static final Set<String> TYPES = Set.of("file", "http", "kinesis", "eventbridge");
  /**
   * {@code queue.maxInFlight} counts records, and a kinesis channel batches only what is in flight: 16 would cap
   * its PutRecords requests at 16 records. 2000 lets four full requests of 500 be outstanding.
   */
  private static final int KINESIS_MAX_IN_FLIGHT = 2000;

  static TargetConfig from(ConfigNode node) {
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + " (it becomes an event-bus address), got '" + id + "'");
    }
    String type = node.oneOf("type", null, TYPES);
    ConfigNode payload = node.object("payload").allowOnly(Set.of("shape", "sourceRegion"));
    ConfigNode queue = node.object("queue").allowOnly(Set.of("capacity", "maxInFlight"));
    ConfigNode rate = node.object("rateLimit").allowOnly(Set.of("eventsPerSecond", "burst"));
    ConfigNode park = node.object("park").allowOnly(Set.of("maxBytes"));
    ConfigNode filter = node.object("filter");
    EventFilter.from(filter); // validate every pattern at start
    long ratePerSecond = rate.longValue("eventsPerSecond", 0, 0, 1_000_000);
    return new TargetConfig(id, type, node.bool("enabled", true),
        node.intValue("instances", 1, 1, 64),
        filter,
        "enriched".equals(payload.oneOf("shape", "original", Set.of("original", "enriched"))),
        payload.string("sourceRegion", null),
        RetryPolicy.from(node.object("retry")),
        queue.intValue("capacity", 10_000, 1, 10_000_000),
        queue.intValue("maxInFlight", "kinesis".equals(type) ? KINESIS_MAX_IN_FLIGHT : 16, 1, 100_000),
        ratePerSecond,
        rate.longValue("burst", Math.max(1, ratePerSecond), 1, 10_000_000),
        park.longValue("maxBytes", 1L << 30, 0, Long.MAX_VALUE),
        node.longValue("failingAfterSeconds", 60, 1, 7 * 24 * 3600) * 1000,
        node);
  }

  /**
   * Whether this target reads the conversation snapshot: the file type writes it into every line, the enriched
   * shape carries it, and a filter may test it. When no target does, the state stage skips encoding one per event.
   */
  public boolean readsSnapshot() {
    return "file".equals(type) || enriched || EventFilter.mentions(filterNode, FilterInput.CONVERSATION_KEY);
  }

  /** The allowed keys of a type: the common ones plus {@code own}. */
  public static Set<String> keysWith(Set<String> own) {
    Set<String> keys = new HashSet<>(COMMON_KEYS);
    keys.addAll(own);
    return keys;
  }
}
