package io.switchboard.config;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code genesys-websocket} entry of {@code sources[]}: a Notifications API channel subscribed to
 * {@code topics}, whose socket messages are journalled and admitted like {@code POST /events} bodies. Needs the
 * {@code genesys} section (OAuth client and hosts).
 *
 * @param id                      names the source ({@code genesys-ws-<id>} in metrics, journals and {@code /ready})
 * @param topics                  topics to subscribe to: detail topics of known conversations, and queue or user
 *                                conversation topics (at most 1,000, the limit per channel)
 * @param heartbeatTimeoutSeconds how long without any message (Genesys sends a heartbeat about every 30 s) before
 *                                the socket is presumed dead and replaced
 * @param channelRenewSeconds     how long a channel is used before a fresh one replaces it (channels last 24 h)
 * @param reconnectInitialMs      first wait before reconnecting after a failure; doubles, with jitter
 * @param reconnectMaxMs          the longest wait between reconnect attempts
 * @param closeOverlapMs          how long the old socket is kept open once its replacement is up
 */
public record GenesysWebSocketSourceConfig(String id, List<String> topics, long heartbeatTimeoutSeconds,
                                           long channelRenewSeconds, long reconnectInitialMs, long reconnectMaxMs,
                                           long closeOverlapMs) {

  /** Genesys refuses more than this per channel (HTTP 400). */
  public static final int MAX_TOPICS = 1_000;

  private static final Set<String> KEYS = Set.of("type", "id", "enabled", "topics", "heartbeatTimeoutSeconds",
      "channelRenewSeconds", "reconnectInitialMs", "reconnectMaxMs", "closeOverlapMs");
  private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,40}");
  private static final Pattern TOPIC = Pattern.compile("v2\\.[A-Za-z0-9._{}-]+");

  public GenesysWebSocketSourceConfig {
    topics = List.copyOf(topics);
  }

  /** The stable source id: journal directory, settlement address and metrics name it. */
  public String sourceId() {
    return "genesys-ws-" + id;
  }

  public static GenesysWebSocketSourceConfig from(ConfigNode node) {
    node.allowOnly(KEYS);
    String id = node.requiredString("id");
    if (!ID.matcher(id).matches()) {
      throw new ConfigException(node.path("id"), "must match " + ID.pattern() + ", got '" + id + "'");
    }
    Object raw = node.json().getValue("topics");
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(node.path("topics"), "must be a non-empty array of topics, e.g. "
          + "\"v2.routing.queues.<queue id>.conversations\"");
    }
    if (array.size() > MAX_TOPICS) {
      throw new ConfigException(node.path("topics"), "at most " + MAX_TOPICS + " topics per channel, got "
          + array.size());
    }
    List<String> topics = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      Object topic = array.getValue(i);
      if (!(topic instanceof String name) || !TOPIC.matcher(name).matches() || name.contains("{id}")) {
        throw new ConfigException(node.path("topics") + "[" + i + "]", "must be a concrete notification topic "
            + "(v2.…, ids filled in), got " + topic);
      }
      topics.add(name);
    }
    long renew = node.longValue("channelRenewSeconds", 23 * 3600, 10, 24 * 3600 - 60);
    long initial = node.longValue("reconnectInitialMs", 500, 10, 60_000);
    return new GenesysWebSocketSourceConfig(id, topics,
        node.longValue("heartbeatTimeoutSeconds", 95, 1, 3_600),
        renew, initial,
        node.longValue("reconnectMaxMs", 30_000, initial, 600_000),
        node.longValue("closeOverlapMs", 2_000, 0, 120_000));
  }
}
