package io.switchboard.bench;

import io.switchboard.bus.ShardMap;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dedup.DedupWindow;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.it.GeneratedConversations;
import io.switchboard.it.ShippedJvmOptions;
import io.switchboard.journal.IngestJournal;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.switchboard.park.SnapshotFile;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * How long a restart takes with the shipped bounds full: every dedup shard holding {@code maxEventsPerShard}
 * events, every state shard {@code maxConversationsPerShard} open conversations, and each ingest instance's journal
 * holding {@code http.maxInFlight} unsettled events to replay (the most a crash can leave it, unless a target
 * stalls settlement). Writes that data once with Switchboard's own classes, then per run copies it to a fresh
 * directory, starts {@code java -jar} with the shipped JVM flags and times start to {@code /ready}.
 *
 * <pre>mvn -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.RestartTime -Dbench.args="--runs 5"</pre>
 */
public final class RestartTime {

  private static final long NOW = System.currentTimeMillis();

  public static void main(String[] args) throws Exception {
    int runs = 3;
    Path work = Path.of("target/restart-time");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--runs")) {
        runs = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--dir")) {
        work = Path.of(args[++i]);
      }
    }
    SwitchboardConfig config = SwitchboardConfig.fromJson(new JsonObject(Files.readString(Path.of("conf/switchboard.json"))),
        TargetTypes.BUILT_IN);
    Path seed = work.resolve("seed");
    deleteTree(work);
    long wrote = System.currentTimeMillis();
    writeDedup(config, seed.resolve("data/snapshots/local"));
    int conversations = writeState(config, seed.resolve("data/snapshots/local"));
    int journalled = writeJournals(config, seed.resolve("data/journal"));
    System.out.printf(Locale.ROOT, "seeded in %d ms: %d dedup events, %d conversations, %d journal records; %d MB on disk%n",
        System.currentTimeMillis() - wrote, (long) config.shards() * config.dedup().maxEventsPerShard(), conversations,
        journalled, size(seed) >> 20);
    List<Long> times = new ArrayList<>();
    for (int run = 1; run <= runs; run++) {
      Path dir = work.resolve("run-" + run);
      copyTree(seed, dir);
      times.add(timeStart(dir));
      System.out.printf(Locale.ROOT, "run %d: ready in %d ms; %s%n", run, times.get(times.size() - 1),
          logSummary(dir.resolve("server.log")));
    }
    List<Long> sorted = times.stream().sorted().toList();
    System.out.printf(Locale.ROOT, "restart to ready with the default bounds full: median %d ms (%s)%n",
        sorted.get(sorted.size() / 2), times);
  }

  private static void writeDedup(SwitchboardConfig config, Path dir) throws IOException {
    int perShard = config.dedup().maxEventsPerShard();
    for (int shard = 0; shard < config.shards(); shard++) {
      DedupWindow window = new DedupWindow(config.dedup().ttlMillis(), perShard, perShard);
      for (int i = 0; i < perShard; i++) {
        // Spread over the last 50 minutes of a 1 h window, so none expires during the measurement.
        long seen = NOW - 3_000_000L + (3_000_000L * i / perShard);
        window.checkAndRemember(UUID.randomUUID().toString(), Long.toHexString(seen) + shard + "x" + i, seen);
      }
      write(dir.resolve("dedup-" + shard + "-of-" + config.shards() + ".snap"), window::writeTo);
    }
  }

  private static int writeState(SwitchboardConfig config, Path dir) throws IOException {
    LifecycleDefinition lifecycle = LifecycleDefinition.fromJson(new JsonObject(Files.readString(Path.of(config.state().lifecycle()))));
    ShardMap shards = ShardMap.singleNode("local", config.shards(), 1, 1, 1);
    StateSettings settings = new StateSettings(config.state().closedRetentionMillis(), config.state().idleRetentionMillis(),
        config.state().maxConversationsPerShard(), config.state().lastEvents(), config.state().maxAttributeBytes(),
        config.state().flagInvalidTransitions());
    List<ConversationStore> stores = new ArrayList<>();
    for (int shard = 0; shard < config.shards(); shard++) {
      stores.add(new ConversationStore(lifecycle, settings));
    }
    int full = 0;
    int total = 0;
    while (full < config.shards()) {
      String id = UUID.randomUUID().toString();
      ConversationStore store = stores.get(shards.shardOf(id));
      if (store.size() >= settings.maxConversations()) {
        continue;
      }
      for (PipelineEvent event : openConversation(id)) {
        store.apply(event, NOW);
      }
      total++;
      if (store.size() == settings.maxConversations()) {
        full++;
      }
    }
    for (int shard = 0; shard < config.shards(); shard++) {
      write(dir.resolve("state-" + shard + "-of-" + config.shards() + ".snap"), stores.get(shard)::writeTo);
    }
    return total;
  }

  /** Four legs of a voice call: customer, queue, queue end, agent connected; the call is still open. */
  private static List<PipelineEvent> openConversation(String id) {
    String queue = UUID.randomUUID().toString();
    String acdSession = UUID.randomUUID().toString();
    long t = NOW - 60_000;
    return List.of(
        event(id, "customer.start", t, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            new JsonObject().put("attributes", new JsonObject().put("ivr.Language", "en-us").put("crm.Tier", "gold"))),
        event(id, "acd.start", t + 1_000, UUID.randomUUID().toString(), acdSession, new JsonObject().put("queueId", queue)),
        event(id, "acd.end", t + 20_000, null, acdSession, new JsonObject().put("acdOutcome", "SUCCESS")),
        event(id, "user.start", t + 21_000, UUID.randomUUID().toString(), UUID.randomUUID().toString(),
            new JsonObject().put("userId", UUID.randomUUID().toString()).put("queueId", queue)));
  }

  private static PipelineEvent event(String conversationId, String type, long time, String participantId,
                                     String sessionId, JsonObject body) {
    JsonObject full = body.copy().put("conversationId", conversationId).put("eventTime", time).put("mediaType", "VOICE");
    return new PipelineEvent(new Ticket("seed", 0), "seed", UUID.randomUUID().toString(),
        Long.toHexString(time) + UUID.randomUUID(), conversationId, type,
        "v2.detail.events.conversation." + conversationId + "." + type, time, time, "VOICE", participantId, sessionId,
        full.getString("queueId"), full.getString("userId"), false, full, Buffer.buffer(full.encode()));
  }

  /** {@code http.maxInFlight} replayable voice events per ingest instance, in conversation order. */
  private static int writeJournals(SwitchboardConfig config, Path dir) throws Exception {
    int perInstance = config.http().maxInFlight();
    Vertx vertx = Vertx.vertx();
    int written = 0;
    try {
      for (int instance = 0; instance < config.http().instances(); instance++) {
        List<JsonArray> conversations = GeneratedConversations.voice("restart-" + instance, perInstance / 10, 8);
        JsonObject journalConfig = new JsonObject().put("journal", new JsonObject().put("dir", dir.toString()));
        SwitchboardConfig withDir = SwitchboardConfig.fromJson(journalConfig, TargetTypes.BUILT_IN);
        String source = "http-" + instance;
        Promise<Integer> done = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> IngestJournal.open(vertx, withDir.durability(), source)
            .compose(journal -> {
              List<Future<Void>> appended = new ArrayList<>();
              long seq = journal.firstSeq();
              for (JsonArray conversation : conversations) {
                for (Object envelope : conversation) {
                  appended.add(journal.record(seq++, ((JsonObject) envelope).toBuffer(), NOW));
                }
              }
              return Future.all(appended).compose(all -> journal.close()).map(appended.size());
            }).onComplete(done));
        written += done.future().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      }
    } finally {
      vertx.close().await();
    }
    return written;
  }

  private static long timeStart(Path dir) throws Exception {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", 18080))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
    Files.writeString(dir.resolve("server.json"), config.encodePrettily());
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-Dlogback.configurationFile=" + Path.of("conf/logback-plain.xml").toAbsolutePath(),
        "-jar", Path.of("target/switchboard.jar").toAbsolutePath().toString(), "-conf", "server.json"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long started = System.nanoTime();
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    try {
      while (true) {
        if (!process.isAlive()) {
          throw new IOException("the server exited while starting; see " + dir.resolve("server.log"));
        }
        try {
          HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/ready"))
              .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
          if (ready.statusCode() == 200) {
            return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
          }
        } catch (IOException notYet) {
          // not listening yet: ingest opens once the journals are replayed
        }
        Thread.sleep(20);
      }
    } finally {
      process.destroyForcibly().waitFor();
    }
  }

  private static String logSummary(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    long restored = lines.stream().filter(l -> l.contains("restored (")).count();
    String replay = lines.stream().filter(l -> l.contains("journal replay done")).map(l -> l.substring(l.indexOf("journal")))
        .reduce((a, b) -> a + "; " + b).orElse("no replay");
    String ready = lines.stream().filter(l -> l.contains("Switchboard ready in")).findFirst()
        .map(l -> l.substring(l.indexOf("Switchboard ready in"), l.indexOf(" ms") + 3)).orElse("?");
    return restored + " snapshots restored; " + replay + "; " + ready;
  }

  private interface Snapshot {
    void write(DataOutputStream out) throws IOException;
  }

  private static void write(Path file, Snapshot snapshot) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    snapshot.write(new DataOutputStream(bytes));
    SnapshotFile.write(file, bytes.toByteArray());
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
