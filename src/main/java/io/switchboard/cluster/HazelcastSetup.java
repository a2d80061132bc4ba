package io.switchboard.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.switchboard.config.ClusterConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import java.io.File;
import java.io.FileNotFoundException;
import java.util.Objects;

/**
 * The Hazelcast member configuration of a Switchboard node, from its {@code cluster} section: TCP-IP join to the
 * configured members (multicast and auto-detection off), bound to {@code cluster.host} on exactly
 * {@code cluster.port}, with failure detection shortened to {@code cluster.failureDetectionMs}. It starts from
 * Vert.x's own {@code default-cluster.xml}, whose {@code __vertx.*} maps and multimap hold the clustered event bus's
 * subscriptions and node infos. Each member carries its Switchboard node id as the attribute {@link #NODE_ATTRIBUTE}.
 *
 * <p>{@code -Dvertx.hazelcast.config=FILE} (or {@code classpath:NAME}) replaces all of that with the operator's own
 * file: only the cluster name and the node attribute are set on it, the rest is theirs (it must keep the
 * {@code __vertx.*} settings).
 */
public final class HazelcastSetup {

  /** The member attribute holding the member's Switchboard {@code nodeId}. */
  public static final String NODE_ATTRIBUTE = "switchboard.node";
  /** The system property, Vert.x's own, naming a Hazelcast config file that replaces the generated one. */
  public static final String CONFIG_PROPERTY = "vertx.hazelcast.config";
  /** Seconds between heartbeats: with {@code failureDetectionMs} of a few seconds, a longer interval would miss it. */
  static final int HEARTBEAT_SECONDS = 1;
  /** Split-brain merge checks: Hazelcast's 300/120 s defaults would leave two members that both started alone apart. */
  static final int MERGE_FIRST_RUN_SECONDS = 5;
  static final int MERGE_NEXT_RUN_SECONDS = 5;
  /** How long a starting member waits for the others' join requests; Hazelcast's 5 s default only slows a start. */
  static final int WAIT_SECONDS_BEFORE_JOIN = 1;
  /** How long a TCP-IP join waits for each listed member to answer; loopback and a LAN answer well within it. */
  static final int JOIN_CONNECTION_TIMEOUT_SECONDS = 2;
  private static final String DEFAULT_CONFIG = "default-cluster.xml";

  private HazelcastSetup() {
  }

  /** The member config of node {@code nodeId}, honouring {@code -Dvertx.hazelcast.config} when it is set. */
  public static Config of(ClusterConfig cluster, String nodeId) {
    return of(cluster, nodeId, System.getProperty(CONFIG_PROPERTY));
  }

  /**
   * @param configFile an operator's Hazelcast config ({@code path} or {@code classpath:name}), or null for the one
   *                   generated from {@code cluster}
   * @throws IllegalArgumentException when {@code configFile} cannot be read
   */
  public static Config of(ClusterConfig cluster, String nodeId, String configFile) {
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(nodeId, "nodeId");
    Config config = configFile != null ? load(configFile) : generated(cluster);
    config.setClusterName(cluster.name());
    config.getMemberAttributeConfig().setAttribute(NODE_ATTRIBUTE, nodeId);
    return config;
  }

  /** The clustered event bus on the same interface as Hazelcast, advertised there too. */
  public static EventBusOptions eventBus(ClusterConfig cluster, EventBusOptions options) {
    return options.setHost(cluster.host()).setPort(cluster.eventBusPort()).setClusterPublicHost(cluster.host());
  }

  /** The Switchboard node id {@code member} carries, or null for a member that is no Switchboard node. */
  public static String nodeIdOf(Member member) {
    return member.getAttribute(NODE_ATTRIBUTE);
  }

  private static Config generated(ClusterConfig cluster) {
    // Vert.x's default file, named explicitly: ConfigUtil.loadConfig() would prefer any cluster.xml on the class path.
    Config config = Config.loadFromClasspath(HazelcastClusterManager.class.getClassLoader(), DEFAULT_CONFIG);
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(false).setPublicAddress(cluster.host() + ":" + cluster.port());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members())
        .setConnectionTimeoutSeconds(JOIN_CONNECTION_TIMEOUT_SECONDS);
    // Bind to host only (Hazelcast binds to every interface by default, whatever address it advertises).
    config.setProperty("hazelcast.local.localAddress", cluster.host());
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(HEARTBEAT_SECONDS));
    config.setProperty("hazelcast.max.no.heartbeat.seconds",
        Long.toString(Math.max(2, (cluster.failureDetectionMillis() + 999) / 1000)));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(MERGE_FIRST_RUN_SECONDS));
    config.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(MERGE_NEXT_RUN_SECONDS));
    config.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(WAIT_SECONDS_BEFORE_JOIN));
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x shuts Hazelcast down when it closes, after the drain; a JVM hook of Hazelcast's own would race it.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    return config;
  }

  private static Config load(String configFile) {
    try {
      if (configFile.startsWith("classpath:")) {
        String resource = configFile.substring("classpath:".length());
        return Config.loadFromClasspath(HazelcastSetup.class.getClassLoader(), resource);
      }
      return Config.loadFromFile(new File(configFile));
    } catch (FileNotFoundException e) {
      throw new IllegalArgumentException("-D" + CONFIG_PROPERTY + "=" + configFile + ": no such file", e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("-D" + CONFIG_PROPERTY + "=" + configFile + ": " + e.getMessage(), e);
    }
  }
}
