package io.switchboard.config;

import io.vertx.core.json.JsonArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code cluster} section: whether this node joins a Hazelcast cluster, and how (README "Running a cluster").
 * Join is TCP-IP to a fixed member list, multicast never: a member is found only where it was told to be.
 *
 * @param enabled                whether Vert.x starts clustered (the launcher's {@code -cluster} does the same)
 * @param name                   the Hazelcast cluster name; members with another name never join this cluster
 * @param host                   the interface Hazelcast and the clustered event bus bind to and advertise
 * @param port                   Hazelcast's member port, exactly (no auto-increment to the next free one)
 * @param eventBusPort           the clustered event bus's TCP port; 0 takes any free one (members learn it
 *                               through Hazelcast)
 * @param members                {@code host:port} of the members to join through, this one included or not
 * @param failureDetectionMillis how long a member may stay silent (no heartbeat) before it is declared dead; Hazelcast
 *                               counts whole seconds, rounded up, and at least two heartbeats (2 s)
 * @param handoverTimeoutMillis  how long a graceful shard handover may take before the new owner opens anyway
 */
public record ClusterConfig(boolean enabled, String name, String host, int port, int eventBusPort,
                            List<String> members, long failureDetectionMillis, long handoverTimeoutMillis) {

  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]");

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig from(ConfigNode node) {
    node.allowOnly(Set.of("enabled", "name", "host", "port", "eventBusPort", "members", "failureDetectionMs",
        "handoverTimeoutMs"));
    String host = nonBlank(node, "host", "127.0.0.1");
    if (WILDCARDS.contains(host)) {
      throw new ConfigException(node.path("host"), "must be an address the other members can reach (it is "
          + "advertised to them), not the wildcard '" + host + "'");
    }
    int port = node.intValue("port", 5701, 1, 65535);
    return new ClusterConfig(node.bool("enabled", false), nonBlank(node, "name", "switchboard"), host, port,
        node.intValue("eventBusPort", 0, 0, 65535), members(node, host + ":" + port),
        node.longValue("failureDetectionMs", 10_000, 1000, 600_000),
        node.longValue("handoverTimeoutMs", 30_000, 1000, 3_600_000));
  }

  private static String nonBlank(ConfigNode node, String key, String defaultValue) {
    String value = node.string(key, defaultValue);
    if (value.isBlank()) {
      throw new ConfigException(node.path(key), "must not be empty");
    }
    return value;
  }

  private static List<String> members(ConfigNode node, String self) {
    Object raw = node.json().getValue("members");
    if (raw == null) {
      return List.of(self);
    }
    if (!(raw instanceof JsonArray array) || array.isEmpty()) {
      throw new ConfigException(node.path("members"), "must be a non-empty array of \"host:port\" strings");
    }
    List<String> members = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String path = node.path("members") + "[" + i + "]";
      if (!(array.getValue(i) instanceof String member)) {
        throw new ConfigException(path, "must be a \"host:port\" string, got " + array.getValue(i));
      }
      members.add(member(path, member));
    }
    return members;
  }

  private static String member(String path, String member) {
    int colon = member.lastIndexOf(':');
    if (colon <= 0 || member.substring(0, colon).isBlank()) {
      throw new ConfigException(path, "must be \"host:port\", got '" + member + "'");
    }
    int port;
    try {
      port = Integer.parseInt(member.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      throw new ConfigException(path, "must end in a port between 1 and 65535, got '" + member + "'");
    }
    return member;
  }
}
