package io.switchboard.bench;

import io.switchboard.it.ShippedJvmOptions;
import io.switchboard.it.Webhook;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.GenesysEmulator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events per second from the {@code genesys-websocket} source on one node: the Genesys emulator (in this JVM)
 * publishes {@code --calls} answered voice calls on one queue as fast as it can; each call is about ten whole-
 * conversation snapshots on the queue topic, which Switchboard ({@code java -jar}, shipped flags) maps to lifecycle
 * events, dedups (a snapshot repeats what the previous showed) and delivers to a webhook in this JVM. In the same
 * sitting a bare consumer (a WebSocket that subscribes the same way and only counts messages) gives the ceiling:
 * how fast the emulator can publish on this box.
 *
 * <pre>mvn -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.GenesysWebSocketThroughput \
 *     -Dbench.args="--calls 2000"</pre>
 */
public final class GenesysWebSocketThroughput {

  private static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  private static final String AGENT = "2a82977a-fb91-4f81-b300-33f719a7ae7a";
  private static final String TOPIC = "v2.routing.queues." + QUEUE + ".conversations";

  public static void main(String[] args) throws Exception {
    int calls = 2000;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--calls")) {
        calls = Integer.parseInt(args[++i]);
      }
    }
    Vertx vertx = Vertx.vertx();
    try {
      double ceiling = bare(vertx, calls);
      double switchboard = switchboard(vertx, calls);
      System.out.printf(Locale.ROOT, "ratio of snapshot messages/s, switchboard/bare consumer: %.3f%n",
          switchboard / ceiling);
    } finally {
      vertx.close().await();
    }
  }

  /** A socket that only counts: the emulator's own publishing rate. Returns snapshot messages per second. */
  private static double bare(Vertx vertx, int calls) throws Exception {
    GenesysEmulator emulator = GenesysEmulator.start(vertx, options()).await();
    WebClient client = WebClient.create(vertx);
    String token = emulator.issueToken(emulator.clientId()).await();
    JsonObject channel = client.postAbs(emulator.baseUrl() + "/api/v2/notifications/channels")
        .putHeader("Authorization", "Bearer " + token).send().await().bodyAsJsonObject();
    client.putAbs(emulator.baseUrl() + "/api/v2/notifications/channels/" + channel.getString("id") + "/subscriptions")
        .putHeader("Authorization", "Bearer " + token)
        .sendJson(new JsonArray().add(new JsonObject().put("id", TOPIC))).await();
    AtomicLong messages = new AtomicLong();
    vertx.createWebSocketClient().connect(new WebSocketConnectOptions().setAbsoluteURI(channel.getString("connectUri")))
        .await().textMessageHandler(text -> {
          if (text.contains(TOPIC)) {
            messages.incrementAndGet();
          }
        });
    long started = System.nanoTime();
    long published = drive(emulator, calls);
    while (messages.get() < published) {
      Thread.sleep(20);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    double perSecond = published / seconds;
    System.out.printf(Locale.ROOT, "bare consumer: %d calls, %d snapshot messages in %.1f s = %.0f messages/s%n",
        calls, published, seconds, perSecond);
    emulator.close().await();
    return perSecond;
  }

  /** Switchboard as a process; returns snapshot messages per second through it, and prints events/s. */
  private static double switchboard(Vertx vertx, int calls) throws Exception {
    GenesysEmulator emulator = GenesysEmulator.start(vertx, options()).await();
    Webhook hook = Webhook.start(vertx).await();
    Path dir = Files.createTempDirectory("ws-bench-");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("genesys", new JsonObject().put("baseUrl", emulator.baseUrl()).put("clientId", emulator.clientId())
            .put("clientSecretEnv", "GENESYS_CLIENT_SECRET"))
        .put("sources", new JsonArray().add(new JsonObject().put("type", "genesys-websocket").put("id", "bench")
            .put("topics", new JsonArray().add(TOPIC))))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http")
            .put("url", hook.url())))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, config.encodePrettily());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-jar", Path.of("target/switchboard.jar").toAbsolutePath().toString(), "-conf",
        file.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile());
    builder.environment().put("GENESYS_CLIENT_SECRET", emulator.clientSecret());
    Process server = builder.start();
    HttpClient http = HttpClient.newHttpClient();
    URI ready = URI.create("http://127.0.0.1:" + port + "/ready");
    while (true) {
      try {
        String body = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString()).body();
        JsonArray genesys = new JsonObject(body).getJsonArray("genesys");
        if (genesys != null && "connected".equals(genesys.getJsonObject(0).getString("state"))) {
          break;
        }
      } catch (java.io.IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    long started = System.nanoTime();
    long published = drive(emulator, calls);
    long expected = 9L * calls;
    long lastCount = -1;
    long stableSince = System.currentTimeMillis();
    while (true) {
      long delivered = distinct(hook);
      if (delivered >= expected) {
        break;
      }
      if (delivered != lastCount) {
        lastCount = delivered;
        stableSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - stableSince > 10_000) {
        System.out.println("delivery stalled at " + delivered + " of " + expected + " (webhook requests "
            + hook.requests() + ", accepted " + hook.accepted().size() + "); see " + dir);
        break;
      }
      Thread.sleep(50);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long delivered = distinct(hook);
    System.out.printf(Locale.ROOT, "switchboard: %d calls, %d snapshot messages, %d distinct events delivered in %.1f s"
            + " = %.0f messages/s, %.0f events/s delivered (each snapshot re-shows the events before it: %.0f "
            + "events/s admitted before dedup)%n", calls, published, delivered, seconds, published / seconds,
        delivered / seconds, admitted(http, port) / seconds);
    server.destroy();
    server.waitFor();
    emulator.close().await();
    return published / seconds;
  }

  /** Publishes the calls (about ten snapshots each on the queue topic); returns the snapshot messages sent. */
  private static long drive(GenesysEmulator emulator, int calls) {
    Instant base = Instant.parse("2026-12-01T09:00:00Z");
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      done.add(emulator.conversations().voice(UUID.randomUUID().toString(), QUEUE, AGENT)
          .answered(base.plusSeconds(600L * i)).done());
      if (done.size() >= 200) {
        Future.all(done).await();
        done.clear();
      }
    }
    Future.all(done).await();
    long sent = 0;
    for (String channel : emulator.channelIds().await()) {
      sent += emulator.sockets().sentCount(channel, TOPIC);
    }
    return sent;
  }

  private static EmulatorOptions options() {
    return EmulatorOptions.builder().heartbeatInterval(Duration.ofSeconds(30)).maxRecorded(2_000_000).build();
  }

  private static long distinct(Webhook hook) {
    Set<String> keys = new HashSet<>();
    hook.accepted().forEach(r -> keys.add(r.header("X-Event-Id")));
    return keys.size();
  }

  private static double admitted(HttpClient http, int port) {
    try {
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      double sum = 0;
      for (String line : metrics.split("\n")) {
        if (line.startsWith("switchboard_events_ingested_total") && line.contains("genesys-websocket")
            && (line.contains("\"accepted\"") || line.contains("\"duplicate\""))) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return sum;
    } catch (Exception e) {
      return Double.NaN;
    }
  }
}
