package io.switchboard.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One {@code kafka} entry of {@code sources[]}: a consumer group reading EventBridge envelopes, notification
 * messages or arrays of them (exactly what {@code POST /events} takes) from topics, admitting them like HTTP and
 * committing each partition only up to what has settled.
 *
 * @param id                      names the source in metrics, dead letters and {@code /ready} ({@code [a-z0-9-]})
 * @param instances               consumers of the group in this process, each with its own partitions
 * @param connection              bootstrap servers and security
 * @param topics                  topics to subscribe to, or empty with {@code topicPattern}
 * @param topicPattern            a regular expression of topics, or null with {@code topics}
 * @param groupId                 the consumer group
 * @param autoOffsetReset         where a partition without a committed offset starts: {@code earliest} (nothing
 *                                already in the topic is skipped) or {@code latest}
 * @param maxInFlight             admitted-but-unsettled events per instance before all its partitions pause
 * @param maxInFlightPerPartition records of one partition not yet committable before that partition pauses
 * @param maxPollRecords          records one poll returns at most
 * @param revokeTimeoutMs         how long a revoked partition waits for its events to settle before it is handed
 *                                over anyway (bounded by {@code max.poll.interval.ms})
 * @param settledNoteMs           how often the settled position is noted in the commit's metadata
 * @param replayTimeoutMs         how long, after a restart, the records a crash may have left undelivered are
 *                                awaited before dedup stops treating snapshot keys as claimable
 * @param sessionTimeoutMs        the group's session timeout ({@code session.timeout.ms})
 * @param maxPollIntervalMs       {@code max.poll.interval.ms}
 */
public record KafkaSourceConfig(String id, int instances, KafkaConnection connection, List<String> topics,
                                String topicPattern, String groupId, String autoOffsetReset, int maxInFlight,
                                int maxInFlightPerPartition, int maxPollRecords, long revokeTimeoutMs,
                                long settledNoteMs, long replayTimeoutMs, int sessionTimeoutMs,
                                int maxPollIntervalMs) {

  private static final Set<String> OWN_KEYS = Set.of("type", "id", "enabled", "instances", "topics", "topicPattern",
      "groupId", "autoOffsetReset", "maxInFlight", "maxInFlightPerPartition", "maxPollRecords", "revokeTimeoutMs",
      "settledNoteMs", "replayTimeoutMs", "sessionTimeoutMs", "maxPollIntervalMs");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
  private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public KafkaSourceConfig {
    topics = List.copyOf(topics);
  }

  /** The stable source id of consumer {@code instance}: its settlement address and metrics name it. */
  public String sourceId(int instance) {
    return "kafka-" + id + "-" + instance;
  }

  /** Parses one {@code sources[]} entry of type {@code kafka}. */
  public static KafkaSourceConfig from(ConfigNode node, Function<String, String> env) {
    Set<String> keys = new java.util.HashSet<>(OWN_KEYS);
    keys.addAll(KafkaConnection.KEYS);
    node.allowOnly(keys);
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + ", got '" + id + "'");
    }
    List<String> topics = new ArrayList<>();
    if (node.json().containsKey("topics")) {
      Object raw = node.json().getValue("topics");
      if (!(raw instanceof io.vertx.core.json.JsonArray array) || array.isEmpty()) {
        throw new ConfigException(node.path("topics"), "must be a non-empty array of topic names");
      }
      for (int i = 0; i < array.size(); i++) {
        Object topic = array.getValue(i);
        if (!(topic instanceof String name) || !TOPIC.matcher(name).matches()) {
          throw new ConfigException(node.path("topics") + "[" + i + "]", "must be a topic name ([a-zA-Z0-9._-]), got "
              + topic);
        }
        topics.add(name);
      }
    }
    String pattern = node.string("topicPattern", null);
    if (topics.isEmpty() == (pattern == null)) {
      throw new ConfigException(node.path("topics"), "give exactly one of topics (names) and topicPattern (a regex)");
    }
    if (pattern != null) {
      try {
        Pattern.compile(pattern);
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new ConfigException(node.path("topicPattern"), "is not a regular expression: " + e.getDescription());
      }
    }
    int maxPollIntervalMs = node.intValue("maxPollIntervalMs", 300_000, 1_000, 3_600_000);
    long revokeTimeoutMs = node.longValue("revokeTimeoutMs", 30_000, 0, 3_600_000);
    if (revokeTimeoutMs >= maxPollIntervalMs) {
      throw new ConfigException(node.path("revokeTimeoutMs"), "must be less than maxPollIntervalMs ("
          + maxPollIntervalMs + "): a consumer waiting longer inside a rebalance is evicted from the group");
    }
    int maxInFlight = node.intValue("maxInFlight", 5_000, 1, 10_000_000);
    return new KafkaSourceConfig(id,
        node.intValue("instances", 1, 1, 64),
        KafkaConnection.from(node, env),
        topics,
        pattern,
        node.requiredString("groupId"),
        node.oneOf("autoOffsetReset", "earliest", Set.of("earliest", "latest")),
        maxInFlight,
        node.intValue("maxInFlightPerPartition", Math.min(1_000, maxInFlight), 1, 10_000_000),
        node.intValue("maxPollRecords", 500, 1, 100_000),
        revokeTimeoutMs,
        node.longValue("settledNoteMs", 1_000, 50, 600_000),
        node.longValue("replayTimeoutMs", 300_000, 0, 86_400_000),
        node.intValue("sessionTimeoutMs", 45_000, 1_000, 3_600_000),
        maxPollIntervalMs);
  }
}
