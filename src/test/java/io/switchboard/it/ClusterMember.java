package io.switchboard.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@code java -jar} node of a clustered process test: its node id, HTTP and Hazelcast ports, directory, config file
 * and current process. Each launch logs to {@code <id>-<launch>.out.log} in the directory.
 */
class ClusterMember {

  final String id;
  final int httpPort;
  final int hazelcastPort;
  final Path dir;
  final Path config;
  Process process;
  int launches;

  ClusterMember(String id, int httpPort, int hazelcastPort, Path dir) {
    this.id = id;
    this.httpPort = httpPort;
    this.hazelcastPort = hazelcastPort;
    this.dir = dir;
    this.config = dir.resolve("switchboard.json");
  }

  String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** Starts the node (again) on its config file. */
  void launch(Map<String, String> env) throws IOException {
    launches++;
    process = JarProcess.launch(config, dir, id + "-" + launches, env);
  }

  /** The log of the node's first launch. */
  Path firstLog() {
    return dir.resolve(id + "-1.out.log");
  }

  /**
   * What every node of the cluster tests runs with: loopback HTTP and Hazelcast on its own ports, the given members
   * and tunings, one http target, and its data (DLQ, park, journal, snapshots) under its directory.
   */
  JsonObject config(String clusterName, JsonArray members, ClusterTuning tuning, String hookUrl) {
    Path data = dir.resolve("data");
    return new JsonObject()
        .put("nodeId", id)
        .put("shards", tuning.shards())
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", httpPort))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http").put("url", hookUrl)))
        .put("deadLetters", new JsonObject().put("dir", data.resolve("dlq").toString()))
        .put("park", new JsonObject().put("dir", data.resolve("park").toString()))
        .put("journal", new JsonObject().put("dir", data.resolve("journal").toString()))
        .put("checkpoint", new JsonObject().put("dir", data.resolve("snapshots").toString())
            .put("intervalMs", tuning.checkpointIntervalMs()))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()))
        .put("shutdown", new JsonObject().put("drainSeconds", 20))
        .put("cluster", new JsonObject()
            .put("enabled", true)
            .put("name", clusterName)
            .put("host", "127.0.0.1")
            .put("port", hazelcastPort)
            .put("eventBusPort", 0)
            .put("members", members)
            .put("failureDetectionMs", tuning.failureDetectionMs())
            .put("handoverTimeoutMs", tuning.handoverTimeoutMs()));
  }

  /** The shard count and timings a cluster test runs its nodes with. */
  record ClusterTuning(int shards, long checkpointIntervalMs, long failureDetectionMs, long handoverTimeoutMs) {
  }

  /** The Hazelcast member list ({@code 127.0.0.1:<port>}) of {@code nodes}. */
  static JsonArray hazelcastMembers(List<? extends ClusterMember> nodes) {
    JsonArray members = new JsonArray();
    nodes.forEach(n -> members.add("127.0.0.1:" + n.hazelcastPort));
    return members;
  }

  /** Kills every node still running and waits (30 s each at most) until it is gone. */
  static void killAll(List<? extends ClusterMember> nodes) throws InterruptedException {
    for (ClusterMember node : nodes) {
      if (node.process != null) {
        node.process.destroyForcibly();
      }
    }
    for (ClusterMember node : nodes) {
      if (node.process != null) {
        node.process.waitFor(30, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public String toString() {
    return id;
  }
}
