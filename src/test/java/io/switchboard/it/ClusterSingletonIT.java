package io.switchboard.it;

import io.switchboard.genesys.AnalyticsConversations;
import io.switchboard.genesys.AnalyticsEvents;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.it.genesys.RequestLog;
import io.switchboard.park.SnapshotFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A {@code genesys-poll} source in a two-node cluster (issue 13, singleton sources): two {@code java -jar} nodes as
 * separate processes on loopback (fresh cluster name, free ports, failure detection 3 s, handover timeout 10 s), the
 * Genesys Cloud emulator in this JVM, one poller with the shortest windows the config allows (11 s, overlapping 10 s,
 * so one new window a second, no lag) and one loopback webhook as the http target.
 *
 * <p>Each node logs in with its own OAuth client (same emulator, same data), only so that the emulator can tell which
 * node asks: its request log names the client of every analytics call. Verifies that
 * <ul>
 *   <li>the poller runs on one node only: the analytics API sees one client, only that node's
 *       {@code switchboard_genesys_poll_windows_total} grows, and the other node's {@code /ready} shows the source
 *       {@code elsewhere}, naming the node that runs it; over the whole run the two nodes' analytics calls never
 *       interleave;</li>
 *   <li>conversations that appear in the analytics API reach the webhook;</li>
 *   <li>after SIGTERM of the node that polls, the other one polls within {@link #MOVE_BOUND_MS}, never while the
 *       first still does, starting from the cluster-wide checkpoint (its start line says {@code (checkpoint)}, at or
 *       after the first node's last checkpoint), not from {@code startAt}. Periodic checkpoints are set longer than
 *       the run, so that checkpoint is the one the first node wrote when it stopped the poller: the moved poller
 *       starts exactly where the first node's checkpoint file says;</li>
 *   <li>every event of the conversations produced before, during and after the move reaches the webhook at least
 *       once, nothing else arrives, and repeats carry their first copy's idempotency key.</li>
 * </ul>
 * On failure the run directory (each node's config, logs {@code <node>-1.out.log}, checkpoints, DLQ) is copied under
 * {@code target/} and its path printed.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterSingletonIT {

  private static final int SHARDS = 16;
  private static final long FAILURE_DETECTION_MS = 3_000;
  private static final long HANDOVER_TIMEOUT_MS = 10_000;
  /** The other node must poll within this of the SIGTERM. */
  private static final long MOVE_BOUND_MS = 20_000;
  /**
   * Checkpoints: every 600 s, longer than a run (3 minutes at most), so there is no periodic one, only the one a node
   * writes as it stops the poller.
   */
  private static final ClusterMember.ClusterTuning TUNING =
      new ClusterMember.ClusterTuning(SHARDS, 600_000, FAILURE_DETECTION_MS, HANDOVER_TIMEOUT_MS);
  /** The shortest window the config allows: more than the mapping's 10 s horizon; the overlap at least the horizon. */
  private static final int INTERVAL_SECONDS = (int) (AnalyticsEvents.HORIZON_MS / 1000) + 1;
  private static final int OVERLAP_SECONDS = (int) (AnalyticsEvents.HORIZON_MS / 1000);
  private static final String SOURCE = "analytics";
  private static final String SOURCE_ID = "genesys-poll-" + SOURCE;
  private static final String SECRET_VARIABLE = "SWITCHBOARD_TEST_GENESYS_SECRET";
  private static final String WINDOWS_METRIC = "switchboard_genesys_poll_windows_total";
  private static final String ANALYTICS = "/api/v2/analytics/";
  private static final Set<String> RUNNING = Set.of("waiting", "querying", "paging");
  private static final int PER_BATCH = 20;
  private static final int EXIT_AFTER_SIGTERM = 128 + 15;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final String clusterName = "switchboard-singleton-" + UUID.randomUUID().toString().substring(0, 8);
  private final long seed = System.nanoTime();
  private final Random random = new Random(seed);
  private final List<Node> nodes = new ArrayList<>();
  /** Every event the produced conversations map to (topic and exact body), with the batch that produced it. */
  private final Map<String, String> expected = new LinkedHashMap<>();
  private GenesysEmulator emulator;
  private Webhook hook;

  /** A member with its own OAuth client, so that the emulator's request log tells which node called. */
  private static final class Node extends ClusterMember {
    final String clientId;
    final String secret;

    Node(String id, int httpPort, int hazelcastPort, Path dir) {
      super(id, httpPort, hazelcastPort, dir);
      this.clientId = "switchboard-" + id;
      this.secret = "secret-of-" + id;
    }

    Path log() {
      return firstLog();
    }

    Path checkpointFile() {
      return dir.resolve("data/checkpoints").resolve(id).resolve(SOURCE_ID + ".checkpoint");
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    ClusterMember.killAll(nodes);
    vertx.close().await();
  }

  /**
   * Verifies that the poller runs on exactly one node, that it moves to the other within {@link #MOVE_BOUND_MS} of a
   * SIGTERM without the two ever polling at once, that the moved poller resumes from the cluster-wide checkpoint, and
   * that every event of the conversations produced before, during and after the move reaches the webhook.
   */
  @Test
  void pollerRunsOnOneNodeAndMovesOnLeaveResumingFromTheCheckpoint() throws Throwable {
    long began = System.currentTimeMillis();
    try {
      run(began);
    } catch (Throwable failure) {
      ClusterMember.killAll(nodes);
      try {
        System.out.println("cluster singleton test: run directory kept in " + JarProcess.keep(dir,
            "cluster-singleton-failure"));
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
      throw failure;
    } finally {
      ClusterMember.killAll(nodes);
    }
  }

  private void run(long began) throws Exception {
    long startAt = (began - 15_000) / 1000 * 1000;
    setUp(startAt);
    startAll();

    // --- One owner: exactly one node runs the poller, the other shows it not running here. ---------------------
    Node owner = awaitSingleOwner(30_000);
    Node other = owner == nodes.get(0) ? nodes.get(1) : nodes.get(0);
    JsonObject notHere = sourceStatus(other);
    System.out.println("cluster singleton test: the poller runs on " + owner.id + " (" + sourceStatus(owner)
        + "); " + other.id + " shows " + notHere);
    // Where it does not run, /ready says so and names the member that runs it (no error: it is not a fault).
    assertEquals("elsewhere", notHere.getString("state"), () -> other.id + " shows " + notHere);
    assertEquals(owner.id, notHere.getString("runsOn"), () -> other.id + " shows " + notHere);

    long markA = System.currentTimeMillis();
    double ownerWindowsA = windows(owner);
    double otherWindowsA = windows(other);
    produce("A");
    List<String> otherRunning = new ArrayList<>();
    awaitDelivered("A", 45_000, () -> {
      JsonObject status = sourceStatus(other);
      if (RUNNING.contains(status.getString("state"))) {
        otherRunning.add(Instant.now() + " " + status);
      }
    });
    double ownerWindowsB = windows(owner);
    double otherWindowsB = windows(other);
    Map<String, List<RequestLog.Entry>> phaseOne = analyticsByClient(markA, System.currentTimeMillis());
    System.out.println(String.format(Locale.ROOT, "cluster singleton test: batch A delivered in %d ms; windows "
            + "counter %s %.0f -> %.0f, %s %.0f -> %.0f; analytics calls by client %s",
        System.currentTimeMillis() - markA, owner.id, ownerWindowsA, ownerWindowsB, other.id, otherWindowsA,
        otherWindowsB, counts(phaseOne)));
    assertAll(
        () -> assertEquals(Set.of(owner.clientId), phaseOne.keySet(), "analytics calls came from one node's client"),
        () -> assertTrue(ownerWindowsB > ownerWindowsA, owner.id + "'s poll windows did not grow: " + ownerWindowsA
            + " -> " + ownerWindowsB),
        // It may have a count from before the second node joined (the poller then moved): that must not grow.
        () -> assertEquals(otherWindowsA, otherWindowsB, other.id + "'s poll windows grew"),
        () -> assertEquals(List.of(), otherRunning, other.id + " showed the poller running"));

    // --- SIGTERM the owner: the poller moves to the other node. -------------------------------------------------
    Instant lastCheckpointSeen = Instant.parse(sourceStatus(owner).getString("checkpoint"));
    long termAt = System.currentTimeMillis();
    owner.process.destroy();
    produce("B"); // happening while the poller moves: the moved poller must still find it
    long firstCallMs = -1;
    long runningMs = -1;
    long growingMs = -1;
    long slowestReadyMs = 0;
    double otherBefore = Math.max(0, otherWindowsB);
    while (System.currentTimeMillis() - termAt < MOVE_BOUND_MS + 5_000
        && (firstCallMs < 0 || runningMs < 0 || growingMs < 0)) {
      if (firstCallMs < 0) {
        firstCallMs = emulator.requests().matching(null, ANALYTICS).stream()
            .filter(e -> other.clientId.equals(e.clientId()) && e.at() >= termAt)
            .mapToLong(e -> e.at() - termAt).min().orElse(-1);
      }
      // Each observation is timed when its answer is in: /ready may take a while during the handover.
      long asked = System.currentTimeMillis();
      boolean running = RUNNING.contains(sourceStatus(other).getString("state"));
      long answered = System.currentTimeMillis();
      slowestReadyMs = Math.max(slowestReadyMs, answered - asked);
      if (runningMs < 0 && running) {
        runningMs = answered - termAt;
      }
      if (growingMs < 0 && windows(other) > otherBefore) {
        growingMs = System.currentTimeMillis() - termAt;
      }
      Thread.sleep(100);
    }
    long moveMs = Math.max(runningMs, growingMs);
    System.out.println("cluster singleton test: after SIGTERM of " + owner.id + ", " + other.id
        + " made its first analytics call at +" + firstCallMs + " ms, showed the poller running at +" + runningMs
        + " ms, its windows counter grew at +" + growingMs + " ms (slowest /ready meanwhile " + slowestReadyMs
        + " ms); status " + sourceStatus(other));
    assertTrue(runningMs >= 0 && growingMs >= 0 && firstCallMs >= 0, () -> other.id + " did not take the poller "
        + "within " + (MOVE_BOUND_MS + 5_000) + " ms: status " + sourceStatus(other) + ", windows " + windows(other));
    assertTrue(moveMs <= MOVE_BOUND_MS, "the poller moved in " + moveMs + " ms, bound " + MOVE_BOUND_MS);

    assertTrue(owner.process.waitFor(40, TimeUnit.SECONDS), owner.id + " did not exit within 40 s of SIGTERM");
    long exitMs = System.currentTimeMillis() - termAt;
    int exit = owner.process.exitValue();
    System.out.println("cluster singleton test: " + owner.id + " exited " + exit + " after " + exitMs + " ms");
    assertTrue(exit == 0 || exit == EXIT_AFTER_SIGTERM, "exit status after SIGTERM: " + exit);

    produce("C");
    awaitDelivered(null, 45_000, () -> { });
    long endedAt = System.currentTimeMillis();

    // --- Evidence: who polled when, where the moved poller began, what reached the webhook. ---------------------
    Map<String, List<RequestLog.Entry>> all = analyticsByClient(0, Long.MAX_VALUE);
    List<RequestLog.Entry> before = all.getOrDefault(owner.clientId, List.of());
    List<RequestLog.Entry> after = all.getOrDefault(other.clientId, List.of());
    long lastOfOwner = before.stream().mapToLong(RequestLog.Entry::at).max().orElse(Long.MIN_VALUE);
    List<RequestLog.Entry> otherAfterOwnersStart = after.stream().filter(e -> e.at() >= markA).toList();
    long firstOfOther = otherAfterOwnersStart.stream().mapToLong(RequestLog.Entry::at).min().orElse(Long.MAX_VALUE);
    String startLine = startLine(other);
    Instant resumedAt = startInstant(startLine);
    Instant checkpointFile = readCheckpoint(owner);
    Delivery delivery = Delivery.of(expected, hook.accepted());
    // Over the whole run, the analytics calls in arrival order fall into one run per start of the poller (a start
    // when the first node was alone, a move when the second joined, the move after the SIGTERM): two pollers at
    // once would interleave their calls into many more.
    List<String> stints = stints(emulator.requests().matching(null, ANALYTICS));
    int starts = 0;
    for (Node node : nodes) {
      starts += (int) logMessages(node).stream()
          .filter(m -> m.contains("singleton source [" + SOURCE_ID + "] starts on this node")).count();
    }
    int startsLogged = starts;
    System.out.println(String.format(Locale.ROOT, "cluster singleton test: seed=%d moveMs=%d (first call +%d, "
            + "running +%d, windows +%d) exitMs=%d gapBetweenPollersMs=%d calls %s; %s resumed: %s; %s's last "
            + "checkpoint seen %s, in its file %s; startAt %s; %s; poller starts logged %d, analytics call stints %s; "
            + "took %d ms",
        seed, moveMs, firstCallMs, runningMs, growingMs, exitMs, firstOfOther - lastOfOwner, counts(all), other.id,
        startLine, owner.id, lastCheckpointSeen, checkpointFile, Instant.ofEpochMilli(startAt), delivery.line(),
        startsLogged, stints, endedAt - began));
    assertAll(
        () -> assertTrue(lastOfOwner < firstOfOther, owner.id + " still called the analytics API at "
            + Instant.ofEpochMilli(lastOfOwner) + ", after " + other.id + " began at "
            + Instant.ofEpochMilli(firstOfOther)),
        () -> assertTrue(stints.size() <= startsLogged, "the two nodes' analytics calls interleave (" + stints.size()
            + " stints for " + startsLogged + " starts of the poller): " + stints),
        () -> assertTrue(startLine.contains("(checkpoint)"), "the moved poller did not resume from the checkpoint: "
            + startLine),
        () -> assertNotNull(resumedAt, "no start instant in: " + startLine),
        () -> assertTrue(resumedAt != null && resumedAt.toEpochMilli() > startAt, "the moved poller began at "
            + resumedAt + ", startAt " + Instant.ofEpochMilli(startAt)),
        () -> assertTrue(resumedAt != null && !resumedAt.isBefore(lastCheckpointSeen), "the moved poller began "
            + "at " + resumedAt + ", before " + owner.id + "'s checkpoint " + lastCheckpointSeen + " seen before "
            + "the SIGTERM"),
        () -> assertEquals(checkpointFile, resumedAt, "the moved poller did not begin at " + owner.id
            + "'s last checkpoint on disk, the one it wrote when it stopped the poller"),
        () -> assertEquals(List.of(), delivery.lost.stream().limit(5).toList(), delivery.lost.size()
            + " produced events never reached the webhook"),
        () -> assertEquals(List.of(), delivery.unexpected.stream().limit(5).toList(),
            "deliveries no produced conversation maps to"),
        () -> assertEquals(List.of(), delivery.keyMismatches.stream().limit(5).toList(),
            "repeats of one event under another X-Event-Id"));
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Set-up: the emulator, the webhook and two node configs

  private void setUp(long startAt) throws IOException {
    int[] ports = FreePorts.several(4);
    for (int i = 0; i < 2; i++) {
      nodes.add(new Node("node-" + (i + 1), ports[i], ports[2 + i], dir.resolve("node-" + (i + 1))));
    }
    EmulatorOptions.Builder options = EmulatorOptions.builder().jobTiming(Duration.ofMillis(20), Duration.ofMillis(20))
        .rateLimit(1_200, Duration.ofMinutes(1));
    nodes.forEach(n -> options.client(n.clientId, n.secret));
    emulator = GenesysEmulator.start(vertx, options.build()).await();
    hook = Webhook.start(vertx).await();
    JsonArray members = ClusterMember.hazelcastMembers(nodes);
    for (Node node : nodes) {
      Files.createDirectories(node.dir);
      Files.writeString(node.config, config(node, members, startAt).encodePrettily());
    }
  }

  private JsonObject config(Node node, JsonArray members, long startAt) {
    return node.config(clusterName, members, TUNING, hook.url())
        .put("genesys", new JsonObject().put("baseUrl", emulator.baseUrl()).put("clientId", node.clientId)
            .put("clientSecretEnv", SECRET_VARIABLE).put("requestsPerMinute", 1_200))
        .put("sources", new JsonArray().add(new JsonObject().put("type", "genesys-poll").put("id", SOURCE)
            .put("intervalSeconds", INTERVAL_SECONDS).put("overlapSeconds", OVERLAP_SECONDS).put("lagSeconds", 0)
            .put("startAt", Instant.ofEpochMilli(startAt).toString()).put("jobPollMs", 20)
            .put("checkpointDir", node.dir.resolve("data/checkpoints").toString())));
  }

  /** Starts both nodes together and waits until each is ready and both agree on the two of them. */
  private void startAll() throws Exception {
    long started = System.currentTimeMillis();
    for (Node node : nodes) {
      node.launch(Map.of(SECRET_VARIABLE, node.secret));
    }
    for (Node node : nodes) {
      JarProcess.awaitReady(node.process, node.httpPort);
    }
    ClusterMember.awaitAgreement(nodes, SHARDS, 60_000, () -> { });
    System.out.println("cluster singleton test [" + clusterName + "]: two nodes ready and agreed in "
        + (System.currentTimeMillis() - started) + " ms: " + nodes.get(0).clusterView());
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Conversations and their delivery

  /**
   * Puts {@link #PER_BATCH} short calls into the emulator's analytics store, each beginning 1 to 3 s from now and
   * over within about 8 s, so that the windows still to come find them; records the events they map to.
   */
  private void produce(String batch) {
    long now = System.currentTimeMillis();
    List<Future<Void>> puts = new ArrayList<>();
    for (int i = 0; i < PER_BATCH; i++) {
      JsonObject call = AnalyticsConversations.voice(random, now + 1_000 + random.nextInt(2_000), random.nextInt(10) == 0,
          AnalyticsConversations.Pace.SECONDS);
      for (AnalyticsEvents.Mapped m : AnalyticsEvents.released(call, Long.MAX_VALUE)) {
        expected.putIfAbsent(GenesysPollCrashIT.key(m.message()), batch);
      }
      puts.add(emulator.conversations().put(new JsonObject().put("id", call.getString("conversationId")), call));
    }
    Future.all(puts).await();
  }

  /**
   * Waits until the webhook has every expected event of {@code batch} (every batch when null), running
   * {@code meanwhile} every 200 ms; then until it has been quiet for 2 s (repeats in flight arrive).
   */
  private void awaitDelivered(String batch, long timeoutMs, Runnable meanwhile) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Set<String> missing = Set.of();
    while (System.currentTimeMillis() < deadline) {
      Set<String> delivered = new HashSet<>();
      for (Webhook.Received r : hook.accepted()) {
        delivered.add(GenesysPollCrashIT.key(r.json()));
      }
      missing = new HashSet<>();
      for (var e : expected.entrySet()) {
        if ((batch == null || batch.equals(e.getValue())) && !delivered.contains(e.getKey())) {
          missing.add(e.getKey());
        }
      }
      if (missing.isEmpty()) {
        break;
      }
      meanwhile.run();
      Thread.sleep(200);
    }
    if (!missing.isEmpty()) {
      // Not an assertion here: the final report names what is missing.
      System.out.println("cluster singleton test: " + missing.size() + " events of batch " + (batch == null ? "*"
          : batch) + " not delivered within " + timeoutMs + " ms, e.g. " + missing.iterator().next());
      return;
    }
    int seen = hook.requests();
    long stableSince = System.currentTimeMillis();
    long quietDeadline = stableSince + 10_000;
    while (System.currentTimeMillis() < quietDeadline && System.currentTimeMillis() - stableSince < 2_000) {
      Thread.sleep(100);
      if (hook.requests() != seen) {
        seen = hook.requests();
        stableSince = System.currentTimeMillis();
      }
    }
  }

  /** What reached the webhook, judged against the produced conversations' events. */
  private static final class Delivery {
    final List<String> lost = new ArrayList<>();
    final List<String> unexpected = new ArrayList<>();
    final List<String> keyMismatches = new ArrayList<>();
    final Map<String, Integer> perBatch = new TreeMap<>();
    int deliveries;
    int duplicates;

    static Delivery of(Map<String, String> expected, List<Webhook.Received> received) {
      Delivery d = new Delivery();
      Map<String, String> keyOf = new HashMap<>();
      for (Webhook.Received r : received) {
        d.deliveries++;
        String event = GenesysPollCrashIT.key(r.json());
        if (!expected.containsKey(event)) {
          d.unexpected.add(event);
        }
        String key = r.header("X-Event-Id");
        if (keyOf.containsKey(event)) {
          d.duplicates++;
          if (!Objects.equals(keyOf.get(event), key)) {
            d.keyMismatches.add(event + ": " + keyOf.get(event) + " then " + key);
          }
        } else {
          keyOf.put(event, key);
        }
      }
      expected.forEach((event, batch) -> {
        d.perBatch.merge(batch, 1, Integer::sum);
        if (!keyOf.containsKey(event)) {
          d.lost.add(batch + " " + event);
        }
      });
      return d;
    }

    String line() {
      return String.format(Locale.ROOT, "events per batch %s, deliveries=%d duplicates=%d lost=%d unexpected=%d "
          + "keyMismatches=%d", perBatch, deliveries, duplicates, lost.size(), unexpected.size(), keyMismatches.size());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Where the poller runs

  /**
   * Waits until one node shows the poller running and the other shows it running elsewhere, on that node ({@code
   * "state": "elsewhere", "runsOn": <node>}), the same for 1 s (a
   * poller the first node started before the second joined may still be moving), with the owner's windows counter
   * above 0.
   */
  private Node awaitSingleOwner(long timeoutMs) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMs;
    Node candidate = null;
    long since = 0;
    String last = "";
    while (System.currentTimeMillis() < deadline) {
      List<Node> running = new ArrayList<>();
      Map<String, JsonObject> statuses = new TreeMap<>();
      for (Node node : nodes) {
        JsonObject status = sourceStatus(node);
        statuses.put(node.id, status);
        if (RUNNING.contains(status.getString("state"))) {
          running.add(node);
        }
      }
      last = statuses.toString();
      Node one = running.size() == 1 && statuses.values().stream()
          .filter(s -> "elsewhere".equals(s.getString("state"))
              && running.get(0).id.equals(s.getString("runsOn"))).count() == 1 ? running.get(0) : null;
      if (one == null || one != candidate) {
        candidate = one;
        since = System.currentTimeMillis();
      } else if (System.currentTimeMillis() - since >= 1_000 && windows(one) > 0) {
        return one;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no single node ran the poller within " + timeoutMs + " ms; last statuses " + last);
  }

  /** The node's {@code /ready} status of the poller, or {@code {"state": "no answer"}}. */
  private JsonObject sourceStatus(Node node) {
    JsonObject ready = node.ready();
    if (ready != null) {
      for (Object s : ready.getJsonArray("genesys", new JsonArray())) {
        if (s instanceof JsonObject status && SOURCE_ID.equals(status.getString("source"))) {
          return status;
        }
      }
    }
    return new JsonObject().put("source", SOURCE_ID).put("state", "no answer");
  }

  /** The node's {@code switchboard_genesys_poll_windows_total} of the poller: -1 when it has none (or no answer). */
  private double windows(Node node) {
    try {
      return PrometheusText.sample(node.get("/metrics").body(), WINDOWS_METRIC, "source=\"" + SOURCE_ID + "\"");
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Analytics API calls answered by the emulator that arrived in [{@code from}, {@code to}), by OAuth client. */
  private Map<String, List<RequestLog.Entry>> analyticsByClient(long from, long to) {
    Map<String, List<RequestLog.Entry>> out = new TreeMap<>();
    for (RequestLog.Entry e : emulator.requests().matching(null, ANALYTICS)) {
      if (e.at() >= from && e.at() < to) {
        out.computeIfAbsent(String.valueOf(e.clientId()), k -> new ArrayList<>()).add(e);
      }
    }
    return out;
  }

  private static String counts(Map<String, List<RequestLog.Entry>> byClient) {
    Map<String, String> out = new TreeMap<>();
    byClient.forEach((client, entries) -> out.put(client, entries.size() + " in "
        + Instant.ofEpochMilli(entries.get(0).at()) + ".."
        + Instant.ofEpochMilli(entries.get(entries.size() - 1).at())));
    return out.toString();
  }

  /**
   * The poller's last start line ({@code genesys-poll source [...] starts at [...] (checkpoint|startAt)}) in the
   * node's log.
   */
  private static String startLine(Node node) throws IOException {
    String found = "no start line in " + node.log();
    for (String message : logMessages(node)) {
      if (message.contains("genesys-poll source [" + SOURCE_ID + "] starts at")) {
        found = message;
      }
    }
    return found;
  }

  /** The messages of the node's log (JSON lines; a line that is not JSON as it is). */
  private static List<String> logMessages(Node node) throws IOException {
    List<String> messages = new ArrayList<>();
    for (String line : Files.readAllLines(node.log())) {
      try {
        messages.add(new JsonObject(line).getString("message", line));
      } catch (DecodeException | ClassCastException notJson) {
        messages.add(line);
      }
    }
    return messages;
  }

  /** The calls in arrival order as runs of one client: {@code client xN first..last} each. */
  private static List<String> stints(List<RequestLog.Entry> calls) {
    List<RequestLog.Entry> sorted = new ArrayList<>(calls);
    sorted.sort(java.util.Comparator.comparingLong(RequestLog.Entry::at));
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 1; i <= sorted.size(); i++) {
      if (i == sorted.size() || !Objects.equals(sorted.get(i).clientId(), sorted.get(from).clientId())) {
        out.add(sorted.get(from).clientId() + " x" + (i - from) + " " + Instant.ofEpochMilli(sorted.get(from).at())
            + ".." + Instant.ofEpochMilli(sorted.get(i - 1).at()));
        from = i;
      }
    }
    return out;
  }

  private static Instant startInstant(String startLine) {
    int at = startLine.indexOf("starts at [");
    int end = at < 0 ? -1 : startLine.indexOf(']', at);
    return end < 0 ? null : Instant.parse(startLine.substring(at + "starts at [".length(), end));
  }

  /** The {@code nextStart} of the node's checkpoint file, or null. */
  private static Instant readCheckpoint(Node node) throws IOException {
    var bytes = SnapshotFile.read(node.checkpointFile());
    return bytes.map(b -> Instant.parse(new JsonObject(new String(b, StandardCharsets.UTF_8))
        .getString("nextStart"))).orElse(null);
  }
}
