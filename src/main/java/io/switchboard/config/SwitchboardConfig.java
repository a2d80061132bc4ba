package io.switchboard.config;

import io.vertx.core.json.JsonObject;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole server configuration, parsed and validated once at start. Every error names the JSON path at
 * fault, and unknown keys are errors.
 *
 * @param nodeId     this node's name in event-bus addresses and source ids; stable across restarts, so that what a
 *                   source journals is found again ({@code [a-z0-9-]}, default {@code local}; distinct per cluster node)
 * @param eventLoops Vert.x event-loop threads; default one per available core (Vert.x's own default is two per
 *                   core, which on a loaded box only adds cross-thread hand-offs between the stages: BENCHMARKS.md)
 * @param shards number of shards of every per-conversation stage; must be equal on every cluster node
 * @param parkDir where targets park the overflow of their queues, one directory per target instance
 * @param durability the ingest journal and the stage checkpoints
 * @param kafkaSources the enabled {@code kafka} entries of {@code sources[]}
 * @param genesys    how to reach Genesys Cloud's APIs, or null when nothing here talks to them
 * @param webSocketSources the enabled {@code genesys-websocket} entries of {@code sources[]}
 * @param pollSources the enabled {@code genesys-poll} entries of {@code sources[]}
 * @param cluster    whether and how this node joins a Hazelcast cluster (disabled when the section is absent)
 */
public record SwitchboardConfig(String nodeId, int eventLoops, int shards, HttpIngestConfig http, String schemasDir, DedupConfig dedup,
                                ReorderConfig reorder, StateConfig state, List<TargetConfig> targets,
                                DeadLetterConfig deadLetters, String parkDir, long drainMillis,
                                DurabilityConfig durability, List<KafkaSourceConfig> kafkaSources,
                                GenesysConfig genesys, List<GenesysWebSocketSourceConfig> webSocketSources,
                                List<GenesysPollSourceConfig> pollSources, ClusterConfig cluster) {

  private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** @param types the target types {@code targets[]} may name (dispatch's registry) */
  public static SwitchboardConfig fromJson(JsonObject json, TargetCatalog types) {
    return fromJson(json, types, System::getenv);
  }

  /**
   * As {@link #fromJson(JsonObject, TargetCatalog)}, reading the secrets sources name ({@code passwordEnv},
   * {@code clientSecretEnv}) through {@code env} (tests pass a map; the server passes the process environment).
   */
  public static SwitchboardConfig fromJson(JsonObject json, TargetCatalog types,
                                           java.util.function.Function<String, String> env) {
    if (json == null || json.isEmpty()) {
      throw new ConfigException("(root)", "configuration is empty: pass -conf with a JSON file, or none for the defaults");
    }
    ConfigNode root = ConfigNode.root(json);
    root.allowOnly(Set.of("nodeId", "eventLoops", "shards", "http", "schemas", "dedup", "reorder", "state", "targets", "deadLetters", "park",
        "shutdown", "journal", "checkpoint", "sources", "genesys", "cluster"));
    ConfigNode park = root.object("park").allowOnly(Set.of("dir"));
    ConfigNode schemas = root.object("schemas").allowOnly(Set.of("dir"));
    ConfigNode shutdown = root.object("shutdown").allowOnly(Set.of("drainSeconds"));
    List<TargetConfig> targets = root.objects("targets").stream().map(node -> TargetConfig.from(node, types)).toList();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < targets.size(); i++) {
      if (!ids.add(targets.get(i).id())) {
        throw new ConfigException("targets[" + i + "].id", "duplicate target id '" + targets.get(i).id() + "'");
      }
    }
    String nodeId = root.string("nodeId", "local");
    if (!NODE_ID.matcher(nodeId).matches()) {
      throw new ConfigException("nodeId", "must match " + NODE_ID.pattern() + " (it becomes part of event-bus addresses), got '"
          + nodeId + "'");
    }
    ClusterConfig cluster = ClusterConfig.from(root.object("cluster"));
    if (cluster.enabled() && !json.containsKey("nodeId")) {
      throw new ConfigException("nodeId", "must be set in a cluster (cluster.enabled or -cluster): each member needs "
          + "its own stable id (its journals and data directories belong to it), and the default '" + nodeId
          + "' would be everyone's");
    }
    GenesysConfig genesys = GenesysConfig.from(root.object("genesys"), env);
    StateConfig state = StateConfig.from(root.object("state"));
    if (state.enrichment().enabled() && genesys == null) {
      throw new ConfigException("state.enrichment.enabled", "enrichment fetches from the Genesys REST API and needs "
          + "the genesys section (region or baseUrl, clientId, clientSecretEnv)");
    }
    return new SwitchboardConfig(nodeId,
        root.intValue("eventLoops", defaultEventLoops(), 1, 1024),
        root.intValue("shards", 16, 1, 4096),
        HttpIngestConfig.from(root.object("http")),
        schemas.string("dir", "conf/schemas"),
        DedupConfig.from(root.object("dedup")),
        ReorderConfig.from(root.object("reorder")),
        state,
        targets,
        DeadLetterConfig.from(root.object("deadLetters")),
        park.string("dir", "data/park"),
        shutdown.longValue("drainSeconds", 20, 0, 3600) * 1000,
        DurabilityConfig.from(root.object("journal"), root.object("checkpoint")),
        kafkaSources(root.objects("sources"), env),
        genesys,
        webSocketSources(root.objects("sources"), genesys),
        pollSources(root.objects("sources"), genesys),
        cluster);
  }

  private static List<GenesysWebSocketSourceConfig> webSocketSources(List<ConfigNode> sources, GenesysConfig genesys) {
    List<GenesysWebSocketSourceConfig> out = new java.util.ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode source : sources) {
      if (!"genesys-websocket".equals(source.requiredString("type"))) {
        continue;
      }
      GenesysWebSocketSourceConfig parsed = GenesysWebSocketSourceConfig.from(source);
      if (!ids.add(parsed.id())) {
        throw new ConfigException(source.path("id"), "duplicate source id '" + parsed.id() + "'");
      }
      if (genesys == null) {
        throw new ConfigException(source.path("type"), "a genesys-websocket source needs the genesys section "
            + "(region or baseUrl, clientId, clientSecretEnv)");
      }
      if (source.bool("enabled", true)) {
        out.add(parsed);
      }
    }
    return List.copyOf(out);
  }

  private static List<GenesysPollSourceConfig> pollSources(List<ConfigNode> sources, GenesysConfig genesys) {
    List<GenesysPollSourceConfig> out = new java.util.ArrayList<>();
    Set<String> ids = new HashSet<>();
    long now = System.currentTimeMillis();
    for (ConfigNode source : sources) {
      if (!GenesysPollSourceConfig.TYPE.equals(source.requiredString("type"))) {
        continue;
      }
      GenesysPollSourceConfig parsed = GenesysPollSourceConfig.from(source, now);
      if (!ids.add(parsed.id())) {
        throw new ConfigException(source.path("id"), "duplicate source id '" + parsed.id() + "'");
      }
      if (genesys == null) {
        throw new ConfigException(source.path("type"), "a genesys-poll source needs the genesys section "
            + "(region or baseUrl, clientId, clientSecretEnv)");
      }
      if (source.bool("enabled", true)) {
        out.add(parsed);
      }
    }
    return List.copyOf(out);
  }

  /** The source types {@code sources[]} may name; HTTP ingest is configured under {@code http}. */
  private static final Set<String> SOURCE_TYPES = Set.of("kafka", "genesys-websocket", "genesys-poll");

  private static List<KafkaSourceConfig> kafkaSources(List<ConfigNode> sources,
                                                      java.util.function.Function<String, String> env) {
    List<KafkaSourceConfig> kafka = new java.util.ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode source : sources) {
      String type = source.requiredString("type");
      if (!SOURCE_TYPES.contains(type)) {
        throw new ConfigException(source.path("type"), "unknown source type '" + type + "'; known: " + SOURCE_TYPES);
      }
      if (!type.equals("kafka")) {
        continue;
      }
      KafkaSourceConfig parsed = KafkaSourceConfig.from(source, env);
      if (!ids.add(parsed.id())) {
        throw new ConfigException(source.path("id"), "duplicate source id '" + parsed.id() + "'");
      }
      if (source.bool("enabled", true)) {
        kafka.add(parsed);
      }
    }
    return List.copyOf(kafka);
  }

  /** One event loop per core the JVM may use (container limits included). */
  public static int defaultEventLoops() {
    return Runtime.getRuntime().availableProcessors();
  }

  public List<TargetConfig> enabledTargets() {
    return targets.stream().filter(TargetConfig::enabled).toList();
  }
}
