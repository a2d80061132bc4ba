package io.switchboard.it;

import io.switchboard.dispatch.http.HttpDeliveryChannel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 under load, as the durability issue describes it: {@code java -jar} as a child process, eight concurrent
 * senders posting voice conversations (each conversation in order, as Genesys emits them, every event retried
 * until it is acknowledged, as an EventBridge API destination retries), and SIGKILL at a random moment in each of
 * {@code crash.cycles} runs (5 here; the benchmark runs 20), each restarted on the same data directory. After the
 * last restart everything is sent and settled, and then: every acknowledged event reached the webhook at least
 * once, repeats carry the same idempotency key, and each conversation's events arrived in order (events the
 * webhook was told are late excepted). The figures are printed as one line for BENCHMARKS.md.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

  private static final int CYCLES = Integer.getInteger("crash.cycles", 5);
  private static final long SEED = Long.getLong("crash.seed", 20261203L);
  private static final int CONVERSATIONS = Integer.getInteger("crash.conversations", 400);
  private static final int SENDERS = 8;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Vertx vertx = Vertx.vertx();
  private final Map<String, JsonObject> acknowledged = new ConcurrentHashMap<>();
  private Process server;
  private int port;

  @AfterEach
  void tearDown() throws Exception {
    if (server != null) {
      server.destroyForcibly().waitFor();
    }
    vertx.close().await();
  }

  @Test
  void everyAcknowledgedEventIsDeliveredAfterRepeatedKillNine() throws Exception {
    Webhook hook = Webhook.start(vertx).await();
    port = FreePorts.one();
    Path config = dir.resolve("switchboard.json");
    Files.writeString(config, config(hook.url()).encodePrettily());
    List<JsonArray> conversations = GeneratedConversations.voice("crash-" + SEED, CONVERSATIONS, 8);
    Random random = new Random(SEED);

    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    List<Future<?>> sending = new ArrayList<>();
    for (int s = 0; s < SENDERS; s++) {
      int sender = s;
      sending.add(senders.submit(() -> send(conversations, sender)));
    }
    for (int cycle = 1; cycle <= CYCLES; cycle++) {
      server = launch(config, "cycle-" + cycle);
      awaitReady();
      Thread.sleep(1_000 + random.nextInt(2_500));
      server.destroyForcibly();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    }
    server = launch(config, "final");
    awaitReady();
    for (Future<?> f : sending) {
      f.get(5, TimeUnit.MINUTES);
    }
    senders.shutdown();
    int total = conversations.stream().mapToInt(JsonArray::size).sum();
    assertEquals(total, acknowledged.size(), "the senders got every event acknowledged in the end");
    awaitQuiet(hook);

    Report report = Report.of(conversations, acknowledged.keySet(), hook.accepted());
    System.out.println("crash test: " + report.line(CYCLES, SEED));
    if (!report.lost.isEmpty()) {
      keepForInspection();
    }
    assertEquals(List.of(), report.lost, "acknowledged but never delivered; dead letters among them: "
        + deadLetters(report.lost));
    assertEquals(List.of(), report.keyMismatches, "repeats of one event with different idempotency keys");
    assertEquals(0, report.orderViolations, "events delivered after a later event of their conversation (first "
        + "deliveries, late ones excepted): " + report.violationExamples);
  }

  /** Each of {@code ids} found in the DLQ, with its stage and reason. */
  private List<String> deadLetters(List<String> ids) throws IOException {
    List<String> found = new ArrayList<>();
    Path dlq = dir.resolve("data/dlq");
    if (!Files.isDirectory(dlq)) {
      return found;
    }
    try (var files = Files.list(dlq)) {
      for (Path file : files.toList()) {
        for (String line : Files.readAllLines(file)) {
          JsonObject letter = new JsonObject(line);
          if (ids.contains(letter.getString("eventId"))) {
            found.add(letter.getString("eventId") + ": " + letter.getString("stage") + "/" + letter.getString("reason")
                + " " + letter.getString("error"));
          }
        }
      }
    }
    return found;
  }

  /** Copies the run's directory (logs, journals, DLQ) under target/ before the temporary one is deleted. */
  private void keepForInspection() throws IOException {
    System.out.println("crash test: run directory kept in " + JarProcess.keep(dir, "crash-failure"));
  }

  /** Posts this sender's conversations, each in order, every event until it is acknowledged. */
  private void send(List<JsonArray> conversations, int sender) {
    for (int c = sender; c < conversations.size(); c += SENDERS) {
      for (Object e : conversations.get(c)) {
        JsonObject envelope = (JsonObject) e;
        while (!post(envelope)) {
          sleep(100);
        }
        acknowledged.put(envelope.getString("id"), envelope);
      }
    }
  }

  private boolean post(JsonObject envelope) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/events"))
          .timeout(Duration.ofSeconds(5)).header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(envelope.encode())).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 202;
    } catch (IOException | InterruptedException down) {
      return false;
    }
  }

  /** Waits until nothing is in flight and the webhook has seen no new request for a while. */
  private void awaitQuiet(Webhook hook) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    int seen = -1;
    long stableSince = System.currentTimeMillis();
    while (System.currentTimeMillis() < deadline) {
      int now = hook.requests();
      if (now != seen) {
        seen = now;
        stableSince = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - stableSince > 3_000 && inFlight() == 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the server did not settle: in flight " + inFlight());
  }

  private int inFlight() {
    try {
      HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return new JsonObject(ready.body()).getInteger("inFlight");
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }

  private JsonObject config(String webhook) {
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http").put("url", webhook)))
        .put("deadLetters", new JsonObject().put("dir", dir.resolve("data/dlq").toString()))
        .put("park", new JsonObject().put("dir", dir.resolve("data/park").toString()))
        .put("journal", new JsonObject().put("dir", dir.resolve("data/journal").toString()))
        // Checkpoints every second, so that most runs restore snapshots and truncate before they are killed.
        .put("checkpoint", new JsonObject().put("dir", dir.resolve("data/snapshots").toString()).put("intervalMs", 1000))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
  }

  private Process launch(Path config, String name) throws IOException {
    return JarProcess.launch(config, dir, name, java.util.Map.of());
  }

  private void awaitReady() throws Exception {
    JarProcess.awaitReady(server, port);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** What reached the webhook, judged against what was acknowledged. */
  static final class Report {
    final List<String> lost = new ArrayList<>();
    final List<String> keyMismatches = new ArrayList<>();
    final List<String> violationExamples = new ArrayList<>();
    int acknowledged;
    int deliveries;
    int distinct;
    int duplicates;
    int orderViolations;
    int late;
    int repeatsAfterLater;

    static Report of(List<JsonArray> conversations, Set<String> acknowledged, List<Webhook.Received> received) {
      Report report = new Report();
      report.acknowledged = acknowledged.size();
      Map<String, String> keyOf = new HashMap<>();
      Map<String, Long> timeOf = new HashMap<>();
      Map<String, String> conversationOf = new HashMap<>();
      for (JsonArray conversation : conversations) {
        for (Object e : conversation) {
          JsonObject envelope = (JsonObject) e;
          timeOf.put(envelope.getString("id"), envelope.getJsonObject("detail").getJsonObject("eventBody")
              .getLong("eventTime"));
          conversationOf.put(envelope.getString("id"), envelope.getJsonObject("detail").getJsonObject("eventBody")
              .getString("conversationId"));
        }
      }
      Set<String> delivered = new HashSet<>();
      Map<String, Long> latestFirstDelivery = new HashMap<>();
      for (Webhook.Received r : received) {
        report.deliveries++;
        String id = r.json().getString("id");
        // The http target's default idempotency header (HttpTargetOptions.DEFAULT_IDEMPOTENCY_HEADER).
        String key = r.header("X-Event-Id");
        String earlier = keyOf.putIfAbsent(id, key);
        if (key == null || (earlier != null && !earlier.equals(key))) {
          report.keyMismatches.add(id);
        }
        boolean flaggedLate = "true".equals(r.header(HttpDeliveryChannel.LATE_HEADER));
        report.late += flaggedLate ? 1 : 0;
        long time = timeOf.get(id);
        String conversation = conversationOf.get(id);
        long latest = latestFirstDelivery.getOrDefault(conversation, Long.MIN_VALUE);
        if (!delivered.add(id)) {
          report.duplicates++;
          report.repeatsAfterLater += time < latest ? 1 : 0;
          continue;
        }
        if (time < latest && !flaggedLate) {
          report.orderViolations++;
          if (report.violationExamples.size() < 5) {
            report.violationExamples.add(conversation + ": " + id);
          }
        }
        latestFirstDelivery.put(conversation, Math.max(latest, time));
      }
      report.distinct = delivered.size();
      for (String id : acknowledged) {
        if (!delivered.contains(id)) {
          report.lost.add(id);
        }
      }
      return report;
    }

    String line(int cycles, long seed) {
      return String.format(java.util.Locale.ROOT, "cycles=%d seed=%d acknowledged=%d deliveries=%d distinct=%d lost=%d "
              + "duplicates=%d (of which after a later event %d) orderViolations=%d late=%d", cycles, seed,
          acknowledged, deliveries, distinct, lost.size(), duplicates, repeatsAfterLater, orderViolations,
          late);
    }
  }
}
