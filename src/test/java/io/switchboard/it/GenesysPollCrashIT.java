package io.switchboard.it;

import io.switchboard.dispatch.http.HttpDeliveryChannel;
import io.switchboard.genesys.AnalyticsConversations;
import io.switchboard.genesys.AnalyticsEvents;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.park.SnapshotFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kill -9 of a server working through a {@code genesys-poll} backlog: {@code java -jar} as a child process, configured
 * with a {@code genesys-poll} source against the Genesys emulator in this JVM (a few hundred analytics conversations
 * over the last three quarters of an hour, so about thirty windows are due at once) and a slow webhook as its only
 * target, parking off, so that an event settles only once the webhook answered 2xx. Checkpoints run every 500 ms.
 *
 * <p>While it runs, the checkpoint file is read every 50 ms and then the webhook's list: every event the mapping
 * yields for the windows before the checkpointed {@code nextStart} must be in that list already (the checkpoint never
 * passes an unsettled window), and the checkpoint never moves back, not even across a crash. The process is killed
 * with SIGKILL {@code genesys.crash.kills} times (2 here) once the checkpoint has covered a share of the windows, and
 * restarted on the same data directory. At the end every mapped event reached the webhook at least once, each
 * conversation's first deliveries came in eventTime order, nothing the mapping does not yield arrived, and repeats
 * carry their first copy's {@code Idempotency-Key}. The figures are printed as one line.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GenesysPollCrashIT {

  private static final int KILLS = Integer.getInteger("genesys.crash.kills", 2);
  private static final long SEED = Long.getLong("genesys.crash.seed", 20260311L);
  private static final int CONVERSATIONS = Integer.getInteger("genesys.crash.conversations", 300);
  private static final int INTERVAL_SECONDS = 120;
  private static final int OVERLAP_SECONDS = 30;
  private static final long STEP_MILLIS = (INTERVAL_SECONDS - OVERLAP_SECONDS) * 1000L;
  private static final String SECRET_VARIABLE = "SWITCHBOARD_TEST_GENESYS_SECRET";
  private static final String SOURCE_ID = "analytics";
  /** The http target's default is X-Event-Id; the brief's receiver dedups on this one. */
  private static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Vertx vertx = Vertx.vertx();
  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private Process server;
  private int port;

  @AfterEach
  void tearDown() throws Exception {
    sampler.shutdownNow();
    if (server != null) {
      server.destroyForcibly().waitFor();
    }
    vertx.close().await();
  }

  /**
   * Verifies that the poll source's checkpoint never passes a window with an undelivered event, and that after
   * repeated SIGKILLs and restarts every mapped event is delivered at least once, in conversation order, its repeats
   * under one idempotency key.
   */
  @Test
  void verifiesThatTheCheckpointNeverPassesAnUnsettledWindowAndKillNineLosesNothing() throws Exception {
    long now = System.currentTimeMillis();
    long startAt = (now - 45 * 60_000L) / 1000 * 1000;
    List<JsonObject> conversations = AnalyticsConversations.voice(SEED, CONVERSATIONS, startAt + 60_000, 35 * 60_000L);
    GenesysEmulator emulator = GenesysEmulator.start(vertx, EmulatorOptions.builder()
        .jobTiming(Duration.ofMillis(20), Duration.ofMillis(20)).rateLimit(1_200, Duration.ofMinutes(1)).build())
        .await();
    List<Future<Void>> puts = new ArrayList<>();
    for (JsonObject c : conversations) {
      puts.add(emulator.conversations().put(new JsonObject().put("id", c.getString("conversationId")), c));
    }
    Future.all(puts).await();
    Webhook hook = Webhook.start(vertx).await().delay(Duration.ofMillis(15));
    Mapping mapping = Mapping.of(conversations, startAt, now + 10 * 60_000L);
    port = FreePorts.one();
    Path config = dir.resolve("switchboard.json");
    Files.writeString(config, config(hook.url(), emulator, startAt).encodePrettily());
    Path checkpoint = dir.resolve("data/checkpoints/local/genesys-poll-" + SOURCE_ID + ".checkpoint");
    CheckpointWatch watch = new CheckpointWatch(checkpoint, startAt, mapping, hook);
    sampler.scheduleWithFixedDelay(watch, 0, 50, TimeUnit.MILLISECONDS);

    long started = System.currentTimeMillis();
    Random random = new Random(SEED);
    List<String> killedAt = new ArrayList<>();
    for (int kill = 1; kill <= KILLS; kill++) {
      server = launch(config, "run-" + kill);
      awaitReady();
      int windows = mapping.lastWindow * kill / (KILLS + 1);
      await(60_000, () -> watch.windows() >= windows, "the checkpoint to cover " + windows + " windows");
      Thread.sleep(random.nextInt(400));
      server.destroyForcibly();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
      killedAt.add(watch.windows() + "/" + mapping.lastWindow + " windows, " + hook.accepted().size() + " delivered");
    }
    server = launch(config, "final");
    awaitReady();
    await(90_000, () -> watch.windows() > mapping.lastWindow, "the checkpoint to pass the last window with events");
    sampler.shutdown();
    assertTrue(sampler.awaitTermination(10, TimeUnit.SECONDS));
    long took = System.currentTimeMillis() - started;
    List<String> resumed = new ArrayList<>();
    for (int kill = 1; kill <= KILLS; kill++) {
      resumed.add(startLine(dir.resolve((kill == KILLS ? "final" : "run-" + (kill + 1)) + ".out.log")));
    }

    Report report = Report.of(mapping, hook.accepted());
    System.out.println("genesys-poll crash test: " + report.line(KILLS, SEED) + String.format(Locale.ROOT,
        " windows=%d checkpointMoves=%d samples=%d checkpointViolations=%d took=%d ms killedAt=%s",
        mapping.lastWindow + 1, watch.moves, watch.samples, watch.violations.size(), took, killedAt));
    if (!watch.violations.isEmpty() || !report.lost.isEmpty() || !report.unexpected.isEmpty()) {
      keepForInspection();
    }
    assertEquals(List.of(), watch.violations.stream().limit(5).toList(), "the checkpoint passed undelivered events");
    assertEquals(List.of(), report.lost.stream().limit(5).toList(), report.lost.size() + " mapped events never "
        + "reached the webhook");
    assertEquals(List.of(), report.unexpected.stream().limit(5).toList(), "deliveries the mapping does not yield");
    assertEquals(List.of(), report.keyMismatches.stream().limit(5).toList(), "repeats with another idempotency key");
    assertEquals(0, report.orderViolations, "first deliveries after a later event of their conversation: "
        + report.violationExamples);
    for (String line : resumed) {
      assertTrue(line.contains("(checkpoint)"), "a restart resumes at the checkpoint: " + line);
    }
  }

  /** Copies the run's directory (logs, snapshots, checkpoint, DLQ) under target/ before the temporary one goes. */
  private void keepForInspection() throws IOException {
    System.out.println("genesys-poll crash test: run directory kept in " + JarProcess.keep(dir, "genesys-poll-crash"));
  }

  private JsonObject config(String webhook, GenesysEmulator emulator, long startAt) {
    Path data = dir.resolve("data");
    return new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http").put("url", webhook)
            .put("idempotencyHeader", IDEMPOTENCY_HEADER).put("queue", new JsonObject().put("maxInFlight", 2))
            // No parking: an event settles only once the webhook answered 2xx.
            .put("park", new JsonObject().put("maxBytes", 0))))
        .put("genesys", new JsonObject().put("baseUrl", emulator.baseUrl()).put("clientId", emulator.clientId())
            .put("clientSecretEnv", SECRET_VARIABLE).put("requestsPerMinute", 1_200))
        .put("sources", new JsonArray().add(new JsonObject().put("type", "genesys-poll").put("id", SOURCE_ID)
            .put("intervalSeconds", INTERVAL_SECONDS).put("overlapSeconds", OVERLAP_SECONDS).put("lagSeconds", 0)
            .put("startAt", Instant.ofEpochMilli(startAt).toString()).put("pageSize", 25).put("jobPollMs", 20)
            .put("maxWindowsInFlight", 2).put("maxInFlight", 150)
            .put("checkpointDir", data.resolve("checkpoints").toString())))
        .put("deadLetters", new JsonObject().put("dir", data.resolve("dlq").toString()))
        .put("park", new JsonObject().put("dir", data.resolve("park").toString()))
        .put("journal", new JsonObject().put("dir", data.resolve("journal").toString()))
        .put("checkpoint", new JsonObject().put("dir", data.resolve("snapshots").toString()).put("intervalMs", 500))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
  }

  private Process launch(Path config, String name) throws IOException {
    return JarProcess.launch(config, dir, name, Map.of(SECRET_VARIABLE, EmulatorOptions.DEFAULT_CLIENT_SECRET));
  }

  private void awaitReady() throws Exception {
    JarProcess.awaitReady(server, port);
  }

  private void await(long millis, BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (!condition.getAsBoolean()) {
      assertTrue(server.isAlive(), "server exited while waiting for " + what);
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** The source's start line from a run's log: where it began (startAt or checkpoint). */
  private static String startLine(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.contains("genesys-poll source [genesys-poll-" + SOURCE_ID
        + "] starts at")).findFirst().orElse("no start line in " + log.getFileName());
  }

  /** An event's identity: its topic and exact body, as the mapping yields it and the webhook receives it. */
  static String key(JsonObject message) {
    return message.getString("topicName") + " " + message.getJsonObject("eventBody").encode();
  }

  /**
   * What the mapping yields: every event of every conversation ({@link AnalyticsEvents#released} over all time), and
   * the first of the source's windows (0 from {@code startAt}, each {@link #STEP_MILLIS} later) that yields it.
   */
  static final class Mapping {
    final Map<String, Integer> firstWindow = new HashMap<>();
    final Map<String, JsonObject> events = new LinkedHashMap<>();
    int lastWindow;

    static Mapping of(List<JsonObject> conversations, long startAt, long until) {
      Mapping mapping = new Mapping();
      for (JsonObject c : conversations) {
        for (AnalyticsEvents.Mapped m : AnalyticsEvents.released(c, Long.MAX_VALUE)) {
          mapping.events.put(key(m.message()), m.message());
        }
      }
      for (int k = 0; startAt + k * STEP_MILLIS + INTERVAL_SECONDS * 1000L <= until; k++) {
        long start = startAt + k * STEP_MILLIS;
        for (JsonObject c : conversations) {
          for (AnalyticsEvents.Mapped m : AnalyticsEvents.inWindow(c, start, start + INTERVAL_SECONDS * 1000L)) {
            if (mapping.firstWindow.putIfAbsent(key(m.message()), k) == null) {
              mapping.lastWindow = Math.max(mapping.lastWindow, k);
            }
          }
        }
      }
      return mapping;
    }
  }

  /**
   * Reads the checkpoint, then the webhook's deliveries, and records every event of a window before the checkpoint
   * that was not delivered yet. Runs on one sampler thread; {@link #windows()} may be read from any.
   */
  static final class CheckpointWatch implements Runnable {
    final List<String> violations = new CopyOnWriteArrayList<>();
    private final Path file;
    private final long startAt;
    private final Mapping mapping;
    private final Webhook hook;
    private final Set<String> delivered = new HashSet<>();
    private int read;
    private long checked = Long.MIN_VALUE;
    private volatile int windows;
    volatile int moves;
    volatile int samples;

    CheckpointWatch(Path file, long startAt, Mapping mapping, Webhook hook) {
      this.file = file;
      this.startAt = startAt;
      this.mapping = mapping;
      this.hook = hook;
    }

    /** How many windows the newest checkpoint seen covers. */
    int windows() {
      return windows;
    }

    @Override
    public void run() {
      try {
        sample();
      } catch (IOException | RuntimeException e) {
        violations.add("unreadable checkpoint: " + e);
      }
    }

    private void sample() throws IOException {
      var bytes = SnapshotFile.read(file);
      if (bytes.isEmpty()) {
        return;
      }
      samples++;
      long nextStart = Instant.parse(new JsonObject(new String(bytes.get(), StandardCharsets.UTF_8))
          .getString("nextStart")).toEpochMilli();
      if (nextStart == checked) {
        return;
      }
      List<Webhook.Received> received = hook.accepted();
      for (; read < received.size(); read++) {
        delivered.add(key(received.get(read).json()));
      }
      if (nextStart < checked) {
        violations.add("the checkpoint moved back from " + Instant.ofEpochMilli(checked) + " to "
            + Instant.ofEpochMilli(nextStart));
      }
      if ((nextStart - startAt) % STEP_MILLIS != 0) {
        violations.add("checkpoint " + Instant.ofEpochMilli(nextStart) + " is no window's start");
      }
      int covered = (int) ((nextStart - startAt) / STEP_MILLIS);
      List<String> missing = new ArrayList<>();
      mapping.firstWindow.forEach((event, window) -> {
        if (window < covered && !delivered.contains(event)) {
          missing.add(event);
        }
      });
      if (!missing.isEmpty()) {
        violations.add("checkpoint " + Instant.ofEpochMilli(nextStart) + " covers " + covered + " windows, but "
            + missing.size() + " of their events were not delivered, e.g. " + missing.get(0));
      }
      checked = nextStart;
      moves++;
      windows = Math.max(windows, covered);
    }
  }

  /** What reached the webhook, judged against what the mapping yields. */
  static final class Report {
    final List<String> lost = new ArrayList<>();
    final List<String> unexpected = new ArrayList<>();
    final List<String> keyMismatches = new ArrayList<>();
    final List<String> violationExamples = new ArrayList<>();
    int events;
    int deliveries;
    int duplicates;
    int orderViolations;
    int late;

    static Report of(Mapping mapping, List<Webhook.Received> received) {
      Report report = new Report();
      report.events = mapping.events.size();
      Map<String, String> keyOf = new HashMap<>();
      Map<String, Long> latestFirstDelivery = new HashMap<>();
      for (Webhook.Received r : received) {
        report.deliveries++;
        JsonObject message = r.json();
        String event = key(message);
        if (!mapping.events.containsKey(event)) {
          report.unexpected.add(event);
        }
        report.late += "true".equals(r.header(HttpDeliveryChannel.LATE_HEADER)) ? 1 : 0;
        String idempotencyKey = r.header(IDEMPOTENCY_HEADER);
        if (idempotencyKey == null) {
          report.keyMismatches.add("no " + IDEMPOTENCY_HEADER + " header: " + event);
        }
        if (keyOf.containsKey(event)) {
          report.duplicates++;
          if (!Objects.equals(keyOf.get(event), idempotencyKey)) {
            report.keyMismatches.add(event);
          }
          continue;
        }
        keyOf.put(event, idempotencyKey);
        JsonObject body = message.getJsonObject("eventBody");
        String conversation = body.getString("conversationId");
        long time = body.getLong("eventTime");
        long latest = latestFirstDelivery.getOrDefault(conversation, Long.MIN_VALUE);
        if (time < latest) {
          report.orderViolations++;
          if (report.violationExamples.size() < 5) {
            report.violationExamples.add(event);
          }
        }
        latestFirstDelivery.put(conversation, Math.max(latest, time));
      }
      for (String event : mapping.events.keySet()) {
        if (!keyOf.containsKey(event)) {
          report.lost.add(event);
        }
      }
      return report;
    }

    String line(int kills, long seed) {
      return String.format(Locale.ROOT, "kills=%d seed=%d events=%d deliveries=%d distinct=%d lost=%d duplicates=%d "
              + "keyMismatches=%d orderViolations=%d late=%d unexpected=%d", kills, seed, events, deliveries,
          deliveries - duplicates, lost.size(), duplicates, keyMismatches.size(), orderViolations, late,
          unexpected.size());
    }
  }
}
