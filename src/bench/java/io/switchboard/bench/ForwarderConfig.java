package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link BareForwarder} reads from a Switchboard config (the same {@code server.json} the benchmark
 * writes for the server), so both are pointed at the sink by one file. Everything else in it is ignored.
 *
 * @param host           {@code http.host}, default {@code 0.0.0.0}
 * @param port           {@code http.port}, default 8080
 * @param instances      {@code http.instances}, default 2: Switchboard's ingest instance count
 * @param maxConnections {@code targets[].maxConnections}, default 16: Switchboard's http target pool size
 * @param targets        the enabled {@code http} targets
 */
record ForwarderConfig(String host, int port, int instances, int maxConnections, List<Target> targets) {

  /** Switchboard's defaults, so an unconfigured forwarder is sized like an unconfigured server. */
  static final int DEFAULT_INSTANCES = 2;
  static final int DEFAULT_MAX_CONNECTIONS = 16;
  /** EventBridge API destinations give the endpoint 5 s, and so do Switchboard's http targets. */
  static final long TIMEOUT_MILLIS = 5_000;

  /** One http target: its id (for logs) and absolute URL. */
  record Target(String id, URI url) {
  }

  ForwarderConfig {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no enabled http target in the config: nothing to forward to");
    }
    if (instances < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("http.instances and maxConnections must be >= 1");
    }
  }

  static ForwarderConfig from(JsonObject config) {
    JsonObject http = config.getJsonObject("http", new JsonObject());
    List<Target> targets = new ArrayList<>();
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    JsonArray configured = config.getJsonArray("targets", new JsonArray());
    for (int i = 0; i < configured.size(); i++) {
      JsonObject target = configured.getJsonObject(i);
      if (!"http".equals(target.getString("type")) || !target.getBoolean("enabled", true)) {
        continue;
      }
      targets.add(new Target(target.getString("id", "target-" + i), URI.create(target.getString("url"))));
      // One pool size for all: the benchmark configures every target alike, and a bare forwarder has no
      // per-target knobs.
      maxConnections = target.getInteger("maxConnections", DEFAULT_MAX_CONNECTIONS);
    }
    return new ForwarderConfig(http.getString("host", "0.0.0.0"), http.getInteger("port", 8080),
        http.getInteger("instances", DEFAULT_INSTANCES), maxConnections, targets);
  }
}
