package io.switchboard.it;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * One {@code java -jar} node of a clustered process test: its node id, HTTP and Hazelcast ports, directory, config file
 * and current process. Each launch logs to {@code <id>-<launch>.out.log} in the directory.
 */
class ClusterMember {

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

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

  /** GET {@code path} on the node (2 s at most). */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(2)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The node's {@code /ready} body (200 or 503), or null when it does not answer. */
  JsonObject ready() {
    try {
      return new JsonObject(get("/ready").body());
    } catch (IOException | DecodeException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The {@code cluster} part of the node's {@code /ready}, or null when it does not answer. */
  JsonObject clusterView() {
    JsonObject ready = ready();
    try {
      return ready == null ? null : ready.getJsonObject("cluster");
    } catch (ClassCastException e) {
      return null;
    }
  }

  /**
   * Waits until every one of {@code members} names exactly them, with one view fingerprint, no rebalance under way,
   * and every one of {@code shards} owned once ({@link ClusterAgreement}); {@code meanwhile} runs every 100 ms.
   */
  static void awaitAgreement(List<? extends ClusterMember> members, int shards, long timeoutMs, Runnable meanwhile)
      throws InterruptedException {
    Set<String> expected = new TreeSet<>();
    members.forEach(n -> expected.add(n.id));
    long deadline = System.currentTimeMillis() + timeoutMs;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      Map<String, JsonObject> views = new HashMap<>();
      for (ClusterMember node : members) {
        views.put(node.id, node.clusterView());
      }
      last = views.toString();
      if (ClusterAgreement.settled(expected, views.values(), shards)) {
        return;
      }
      meanwhile.run();
      Thread.sleep(100);
    }
    throw new AssertionError("the nodes " + expected + " did not agree on themselves within " + timeoutMs
        + " ms; last views " + last);
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
