package io.switchboard.it;

import io.switchboard.verticles.MainVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A real Switchboard deployed in-process on port 0, writing into its own temporary directory. */
public final class TestServer {

  private final Vertx vertx;
  private final Path dir;
  private final MainVerticle main;
  private WebClient client;

  private TestServer(Vertx vertx, Path dir, java.util.Map<String, String> env) {
    this.vertx = vertx;
    this.dir = dir;
    this.main = env == null ? new MainVerticle() : new MainVerticle(env::get);
  }

  /** Config for tests: the shipped default, port 0, one ingest instance, a 300 ms hold, files under a temp dir. */
  public static JsonObject config(Path dir) {
    JsonObject config;
    try {
      config = new JsonObject(Files.readString(Path.of("conf/switchboard.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.getJsonObject("http").put("port", 0).put("instances", 1);
    // A fresh node holds events for the initial bound until it has learned one; tests post far fewer events than
    // that takes, so they hold each event 300 ms: enough for the disorder a test posts in one go.
    config.getJsonObject("reorder").put("windowMs", 5000).put("initialLatenessMs", 300);
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "events-file").put("type", "file")
        .put("path", dir.resolve("out/events.jsonl").toString()).put("flushMs", 5)));
    config.getJsonObject("deadLetters").put("dir", dir.resolve("dlq").toString());
    config.put("park", new JsonObject().put("dir", dir.resolve("park").toString()));
    config.put("journal", new JsonObject().put("dir", dir.resolve("journal").toString()));
    config.put("checkpoint", new JsonObject().put("dir", dir.resolve("snapshots").toString()));
    config.getJsonObject("shutdown").put("drainSeconds", 5);
    return config;
  }

  public static Future<TestServer> start(Vertx vertx, Path dir, JsonObject config) {
    return start(vertx, dir, config, null);
  }

  /** As {@link #start(Vertx, Path, JsonObject)}, with {@code env} standing in for the process environment. */
  public static Future<TestServer> start(Vertx vertx, Path dir, JsonObject config, java.util.Map<String, String> env) {
    TestServer server = new TestServer(vertx, dir, env);
    return vertx.deployVerticle(server.main, new DeploymentOptions().setConfig(config)).map(id -> {
      server.client = WebClient.create(vertx);
      return server;
    });
  }

  public int port() {
    return main.httpPort();
  }

  public MainVerticle main() {
    return main;
  }

  public WebClient client() {
    return client;
  }

  public Future<HttpResponse<Buffer>> post(Buffer body) {
    return client.post(port(), "127.0.0.1", "/events").putHeader("content-type", "application/json").sendBuffer(body);
  }

  /** Posts sample files one after another, as an API destination does, failing unless each gets 202. */
  public Future<Void> postSamples(List<String> samples) {
    Future<Void> chain = Future.succeededFuture();
    for (String sample : samples) {
      chain = chain.compose(v -> post(Samples.bytes(sample)).compose(r -> r.statusCode() == 202
          ? Future.<Void>succeededFuture()
          : Future.failedFuture(new AssertionError(sample + " answered " + r.statusCode() + ": " + r.bodyAsString()))));
    }
    return chain;
  }

  /** Admitted events not yet settled, as {@code /ready} reports them. */
  public Future<Integer> inFlight() {
    return get("/ready").map(r -> r.bodyAsJsonObject().getInteger("inFlight"));
  }

  public Future<HttpResponse<Buffer>> get(String path) {
    return client.get(port(), "127.0.0.1", path).send();
  }

  public Path outFile() {
    return dir.resolve("out/events.jsonl");
  }

  /** Lines of the file target, parsed; empty before the first write. */
  public List<JsonObject> delivered() {
    return lines(outFile());
  }

  /** Lines of a file target written under the test directory. */
  public List<JsonObject> deliveredTo(String relativePath) {
    return lines(dir.resolve(relativePath));
  }

  /** Every dead letter written so far, across rotated files. */
  public List<JsonObject> deadLetters() {
    Path dlq = dir.resolve("dlq");
    if (!Files.isDirectory(dlq)) {
      return List.of();
    }
    List<JsonObject> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dlq)) {
      files.sorted().forEach(f -> all.addAll(lines(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  private static List<JsonObject> lines(Path file) {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      String text = Files.readString(file);
      // A file target may be mid-write: only lines it has finished (ended by a newline) count.
      String complete = text.substring(0, text.lastIndexOf('\n') + 1);
      return complete.lines().filter(l -> !l.isBlank()).map(JsonObject::new).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
