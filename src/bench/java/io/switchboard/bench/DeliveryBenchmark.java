package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * End-to-end delivery benchmark in one command: an {@link HttpSink} with targets {@code a} and {@code b} in
 * this JVM, the server jar as a child process configured with exactly those two {@code http} targets (no file
 * target), the {@link ConversationGenerator} load through {@link LaneSender} lanes (closed loop, or open loop at
 * {@code --rate}), an optional outage of one target, then a wait until both targets have every event (or a
 * quiet timeout), SIGTERM to the server, and one JSON line on stdout.
 *
 * <pre>
 * mvn -q -o -DskipTests package
 * mvn -B -o -q -Pbench test-compile exec:exec -Dbench.args="delivery --conversations 2000 --concurrency 16 \
 *     --result /tmp/delivery.jsonl"
 * </pre>
 *
 * <p>{@code --server forwarder} puts the {@link BareForwarder} where the server was, {@code --compare} runs
 * Switchboard and then the forwarder on one generated load ({@link Comparison}), and {@code --smoke} is the
 * short CI run that exits 1 unless every event reached every target once and in order, late events beyond the server's
 * lateness bound apart ({@link SmokeCheck}).
 *
 * <p>While it runs it samples the sink's counts and the server's {@code /metrics} every {@code --scrape-ms}
 * (parked and queued depth are gauges, so their peaks come from these samples). The sink shares this JVM with
 * the generator but runs on a Vert.x instance and event loop of its own, so its CPU is reported apart.
 */
public final class DeliveryBenchmark {

  private static final Logger LOG = LoggerFactory.getLogger(DeliveryBenchmark.class);
  /** After every event arrived, how long to keep listening for stray duplicates. */
  private static final long SETTLE_MILLIS = 1_000;
  private static final long STOP_TIMEOUT_MILLIS = 60_000;
  /** How often {@code /ready} is read for the server's lateness bound. */
  private static final long READY_POLL_MILLIS = 500;

  private final DeliveryOptions options;
  /** The current run's samples; cleared when a run starts, so a comparison's second run has its own. */
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());

  private DeliveryBenchmark(DeliveryOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    DeliveryOptions options = CommandLine.parseOrExit("DeliveryBenchmark", DeliveryOptions.USAGE, args,
        DeliveryOptions::parse);
    if (options == null) {
      return;
    }
    JsonObject result;
    try {
      result = new DeliveryBenchmark(options).run();
    } catch (Exception e) {
      // Exit at once with a failure: CI must fail, and a stray non-daemon thread must not hold the fork open.
      LOG.error("delivery benchmark failed", e);
      System.exit(1);
      return;
    }
    List<String> failures = options.smoke() ? SmokeCheck.failures(result) : List.of();
    if (options.smoke()) {
      result.put("smoke", SmokeCheck.verdict(failures));
    }
    String line = result.encode();
    System.out.println(line);
    if (options.result() != null) {
      Files.writeString(options.result(), line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
    failures.forEach(failure -> System.err.println("SMOKE FAILED: " + failure));
    // Everything it started is closed by now; exiting anyway keeps a stray non-daemon thread from holding the fork.
    System.exit(failures.isEmpty() ? 0 : 1);
  }

  private List<GeneratedConversation> generate() {
    ConversationGenerator generator = new ConversationGenerator(options.generator());
    if (options.durationSeconds() == 0) {
      return generator.generate(options.conversations());
    }
    // Open loop for a duration: as many conversations as it takes to fill it at the rate.
    long wanted = Math.round(options.ratePerSecond() * options.durationSeconds());
    List<GeneratedConversation> out = new ArrayList<>();
    long sends = 0;
    while (sends < wanted) {
      GeneratedConversation next = generator.next();
      out.add(next);
      sends += next.sends().size();
    }
    return out;
  }

  private JsonObject run() throws Exception {
    Path root = options.work() == null ? null : freshDirectory(options.work());
    PlannedLoad load = PlannedLoad.of(generate(), options.concurrency());
    LOG.info("generated [{}] conversations, [{}] events, [{}] sends, [{}] sent after a later event, [{}] held back",
        load.conversations().size(), load.expected().size(), load.sends(), load.swapped().size(), load.held().size());
    if (!options.compare()) {
      return run(options.server(), load, root != null ? root : Files.createTempDirectory("switchboard-delivery-"));
    }
    Path base = root != null ? root : Files.createTempDirectory("switchboard-compare-");
    JsonObject switchboard = run(ServerKind.SWITCHBOARD, load, base.resolve(ServerKind.SWITCHBOARD.label()));
    // The first run's sink state is garbage now; collect it here rather than in the middle of the second run.
    System.gc();
    JsonObject forwarder = run(ServerKind.FORWARDER, load, base.resolve(ServerKind.FORWARDER.label()));
    return Comparison.of(switchboard, forwarder);
  }

  /**
   * A working directory that is new or empty: a server started where another left {@code data/park} would
   * redrive that run's events into this one's sink.
   */
  private static Path freshDirectory(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IOException("--work " + dir + " is not empty; give a new directory");
        }
      }
    }
    return dir;
  }

  /** One run of {@code kind} on {@code load}, in {@code work}: sink, server, load, wait, verdict. */
  private JsonObject run(ServerKind kind, PlannedLoad load, Path work) throws Exception {
    samples.clear();
    List<String> expected = load.expected();
    Map<String, ConversationKind> kinds = load.kinds();

    // The sink gets a Vert.x of its own with one event loop: its CPU is that thread's, apart from the generator's.
    Vertx sinkVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    Vertx vertx = Vertx.vertx();
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "delivery-sampler");
      thread.setDaemon(true);
      return thread;
    });
    ServerProcess server = null;
    try {
      HttpSink sink = HttpSink.deploy(sinkVertx, SinkOptions.loopback(options.targets())).await();
      JsonObject config = serverConfig(ServerProcess.freePort(), sink, options.targets(), options.serverConfigPatch());
      server = ServerProcess.start(kind, options.jar(), work, config,
          options.serverJvm());
      server.awaitUp(60_000);
      LOG.info("{} pid [{}] up on port [{}] in [{}]; sink targets {}", kind.label(), server.pid(), server.port(),
          work, options.targets().stream().map(sink::url).toList());
      ServerProcess running = server;
      sampler.scheduleAtFixedRate(() -> samples.add(sample(sink, running)), 0, options.scrapeMillis(),
          TimeUnit.MILLISECONDS);
      LatenessBound bound = new LatenessBound();
      sampler.scheduleAtFixedRate(() -> pollReady(running, bound), 0, READY_POLL_MILLIS, TimeUnit.MILLISECONDS);

      Target ingest = Target.of(server.url("/events"));
      long serverCpu0 = server.cpuMillis();
      long processCpu0 = processCpuMillis();
      long sinkCpu0 = threadCpuMillis(sink.threadId());
      double box0 = BoxCpu.busySeconds();
      long loadStart = System.currentTimeMillis();
      long start = System.nanoTime();
      if (options.outage() != null) {
        SinkOptions.Outage outage = options.outage();
        vertx.setTimer(Math.max(1, outage.afterMillis()),
            id -> sink.down(outage.target(), outage.mode(), outage.forMillis()));
      }
      // The steady block starts when the warm-up ends: the server's CPU is read then, on the sampler's thread.
      AtomicLong warmServerCpu = new AtomicLong(-1);
      if (options.warmupMillis() > 0) {
        sampler.schedule(() -> warmServerCpu.set(running.cpuMillis()), options.warmupMillis(), TimeUnit.MILLISECONDS);
      }
      Pacer pacer = Pacer.start(options.ratePerSecond());
      List<Future<SendStats>> lanesDone = new ArrayList<>(load.lanes().size());
      for (List<Send> lane : load.lanes()) {
        LaneSender sender = new LaneSender(ingest, lane, pacer);
        lanesDone.add(vertx.deployVerticle(sender).compose(id -> sender.finished()));
      }
      Future.all(lanesDone).await();
      long sendNanos = System.nanoTime() - start;
      long sendEnd = System.currentTimeMillis();
      long serverCpuAtSendEnd = server.cpuMillis();
      long sendServerCpu = serverCpuAtSendEnd - serverCpu0;
      long sendSinkCpu = threadCpuMillis(sink.threadId()) - sinkCpu0;
      long sendGeneratorCpu = processCpuMillis() - processCpu0 - sendSinkCpu;
      double sendBoxCpu = BoxCpu.busySeconds() - box0;
      SendStats stats = new SendStats();
      lanesDone.forEach(lane -> stats.add(lane.result()));
      LOG.info("sent [{}] in [{}] ms; waiting for delivery", stats.sent, sendNanos / 1_000_000);

      boolean complete = awaitDelivery(sink, expected.size(), loadStart);
      long wallNanos = System.nanoTime() - start;
      sampler.shutdownNow();
      pollReady(server, bound);
      ServerMetrics finalMetrics = scrape(server);
      long serverCpu = server.cpuMillis() - serverCpu0;
      long serverPeakKb = server.peakRssKb();
      long sinkCpu = threadCpuMillis(sink.threadId()) - sinkCpu0;
      long generatorCpu = processCpuMillis() - processCpu0 - sinkCpu;
      JsonObject stopped = server.stop(STOP_TIMEOUT_MILLIS);
      server = null;

      JsonObject targets = new JsonObject();
      Map<String, SinkTarget.Snapshot> snapshots = new LinkedHashMap<>();
      ArrivalGaps gaps = new ArrivalGaps(load.events(), stats.arrivals);
      for (String target : options.targets()) {
        SinkTarget.Snapshot snapshot = sink.snapshot(target).await();
        snapshots.put(target, snapshot);
        targets.put(target, TargetVerdict.of(snapshot, kinds, load::inOrder, gaps, bound.millis(), loadStart));
      }
      JsonObject result = sendSummary(load.conversations().size(), expected.size(), load.sends(), stats, sendNanos)
          .put("disorder", load.disorderSummary())
          .put("complete", complete)
          .put("latenessBound", bound.toJson())
          .put("targets", targets)
          .put("serverMetrics", finalMetrics.toJson()
              .put("parkedPeak", peaks(true)).put("queuedPeak", peaks(false)));
      if (options.warmupMillis() > 0) {
        result.put("steady", steady(snapshots, kinds, load::inOrder, loadStart + options.warmupMillis(), sendEnd,
            warmServerCpu.get(), serverCpuAtSendEnd));
      }
      if (options.outage() != null) {
        JsonArray windows = sink.downWindows().await();
        if (!windows.isEmpty()) {
          JsonObject window = windows.getJsonObject(0);
          String down = window.getString("target");
          String healthy = options.targets().stream().filter(t -> !t.equals(down)).findFirst().orElseThrow();
          result.put("outage", OutageReport.of(window, snapshots.get(down), snapshots.get(healthy),
              List.copyOf(samples), finalMetrics, loadStart, options.warmupMillis(), options.scrapeMillis(),
              id -> kinds.get(id) != ConversationKind.ABANDON));
        }
      }
      return result
          .put("cpu", new JsonObject()
              .put("sendServerCores", cores(sendServerCpu, sendNanos))
              .put("sendGeneratorCores", cores(sendGeneratorCpu, sendNanos))
              .put("sendSinkCores", cores(sendSinkCpu, sendNanos))
              // Everything busy on the box, ours included: well above the sum of the three means someone else ran.
              .put("sendBoxBusyCores", box0 < 0 ? null : cores(Math.round(sendBoxCpu * 1000), sendNanos))
              .put("wallSeconds", Rates.seconds(wallNanos))
              .put("serverCpuSeconds", serverCpu / 1e3)
              .put("generatorCpuSeconds", generatorCpu / 1e3)
              .put("sinkCpuSeconds", sinkCpu / 1e3))
          .put("memory", new JsonObject()
              .put("serverPeakRssMb", megabytes(serverPeakKb))
              .put("benchPeakRssMb", megabytes(ServerProcess.peakRssKb(ProcessHandle.current().pid()))))
          .put("gc", GcLog.pauses(work.resolve(GcLog.FILE_NAME)))
          .put("server", stopped.put("kind", kind.label()).put("work", work.toString()));
    } finally {
      sampler.shutdownNow();
      if (server != null) {
        server.kill();
      }
      vertx.close().await();
      sinkVertx.close().await();
    }
  }

  /**
   * The server: ingest on a free loopback port, one http target per sink target, every other setting at its
   * default, then {@code patch} merged in ({@link #merge}).
   */
  static JsonObject serverConfig(int port, HttpSink sink, List<String> names, JsonObject patch) {
    JsonArray targets = new JsonArray();
    for (String target : names) {
      targets.add(new JsonObject().put("id", target).put("type", "http").put("url", sink.url(target)));
    }
    JsonObject config = new JsonObject()
        .put("_comment", "written by DeliveryBenchmark: http targets at the in-process HttpSink, no file target")
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("targets", targets);
    return merge(config, patch);
  }

  /** Deep merge: objects merge key by key, any other value of {@code patch} replaces the one in {@code base}. */
  static JsonObject merge(JsonObject base, JsonObject patch) {
    for (String key : patch.fieldNames()) {
      Object value = patch.getValue(key);
      Object existing = base.getValue(key);
      if (value instanceof JsonObject p && existing instanceof JsonObject b) {
        merge(b, p);
      } else {
        base.put(key, value instanceof JsonObject p ? p.copy() : value);
      }
    }
    return base;
  }

  /**
   * Waits until every target accepted {@code expected} distinct events, or none accepted anything new for
   * {@code --quiet-ms} (not counted while a scheduled outage is still to come or under way), or {@code --max-wait-ms}.
   */
  private boolean awaitDelivery(HttpSink sink, int expected, long loadStart) throws InterruptedException {
    long began = System.currentTimeMillis();
    long outageOver = options.outage() == null ? 0
        : loadStart + options.outage().afterMillis() + options.outage().forMillis();
    Map<String, Integer> last = Map.of();
    long lastChange = began;
    while (true) {
      Map<String, Integer> counts = sink.distinctAccepted().await();
      long now = System.currentTimeMillis();
      if (counts.values().stream().allMatch(n -> n >= expected)) {
        Thread.sleep(SETTLE_MILLIS);
        return true;
      }
      if (!counts.equals(last)) {
        last = counts;
        lastChange = now;
      }
      boolean quiet = now - lastChange >= options.quietMillis() && now >= outageOver;
      if (quiet || now - began >= options.maxWaitMillis()) {
        LOG.warn("stopped waiting for delivery after [{}] ms: {} of [{}]", now - began, counts, expected);
        return false;
      }
      Thread.sleep(100);
    }
  }

  private Sample sample(HttpSink sink, ServerProcess server) {
    Map<String, Integer> counts;
    try {
      counts = sink.distinctAccepted().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      counts = Map.of();
    }
    return new Sample(System.currentTimeMillis(), counts, scrape(server));
  }

  /** Reads the lateness bound off {@code /ready}; anything but a JSON body counts as a poll without one. */
  private static void pollReady(ServerProcess server, LatenessBound bound) {
    JsonObject body = null;
    try {
      body = new JsonObject(server.get("/ready").body());
    } catch (IOException | RuntimeException e) {
      // Not JSON (the forwarder has no /ready), or no answer: the bound stays as it was.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    bound.polled(body);
  }

  private static ServerMetrics scrape(ServerProcess server) {
    try {
      var response = server.get("/metrics");
      return response.statusCode() == 200 ? ServerMetrics.parse(response.body()) : ServerMetrics.EMPTY;
    } catch (IOException e) {
      return ServerMetrics.EMPTY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ServerMetrics.EMPTY;
    }
  }

  /**
   * What happened between the end of the warm-up ({@code from}) and the end of sending ({@code to}): per target
   * the deliveries in that span and their rate, and the sent→delivered latency of what was sent in it, all events
   * {@code unheld} (all but abandoned calls, whose events wait out the reorder window by design) and {@code inOrder}
   * (the conversations the generator sent entirely in order); the events sent in the span (and delivered); and the
   * server's CPU over the span, per such event. {@code null} when sending ended before the warm-up did.
   */
  private static JsonObject steady(Map<String, SinkTarget.Snapshot> snapshots, Map<String, ConversationKind> kinds,
                                   Predicate<String> inOrder, long from, long to, long cpuFrom, long cpuTo) {
    if (cpuFrom < 0 || to <= from) {
      return null;
    }
    double seconds = (to - from) / 1e3;
    JsonObject targets = new JsonObject();
    long sent = -1;
    for (Map.Entry<String, SinkTarget.Snapshot> entry : snapshots.entrySet()) {
      DeliveryTimes times = entry.getValue().times();
      long delivered = times.deliveredBefore(to) - times.deliveredBefore(from);
      JsonObject latency = times.latency(from, to);
      // Distinct events sent in the span that reached this target: the accepted rate of the span, which the
      // delivered rate exceeds while a backlog from the warm-up drains.
      sent = Math.max(sent, latency.getLong("n", 0L));
      targets.put(entry.getKey(), new JsonObject()
          .put("delivered", delivered)
          .put("deliveredPerSec", Rates.oneDecimal(delivered / seconds))
          .put("sentToDeliveredMs", latency)
          .put("unheldSentToDeliveredMs", times.latency(from, to, id -> kinds.get(id) != ConversationKind.ABANDON))
          .put("inOrderSentToDeliveredMs", times.latency(from, to, inOrder)));
    }
    long cpu = cpuTo - cpuFrom;
    return new JsonObject()
        .put("seconds", seconds)
        .put("sent", sent)
        .put("sentPerSec", Rates.oneDecimal(sent / seconds))
        .put("serverCores", Rates.oneDecimal(cpu / 1e3 / seconds))
        .put("serverCpuMs", cpu)
        .put("serverCpuMsPerEvent", sent > 0 ? Math.round(cpu * 1000.0 / sent) / 1000.0 : null)
        .put("targets", targets);
  }

  /** Per target, the highest parked ({@code overflow}) or queued depth any sample saw. */
  private JsonObject peaks(boolean parked) {
    JsonObject out = new JsonObject();
    for (String target : options.targets()) {
      long peak = 0;
      synchronized (samples) {
        for (Sample sample : samples) {
          peak = Math.max(peak, parked ? sample.server().overflow(target) : sample.server().queued(target));
        }
      }
      out.put(target, peak);
    }
    return out;
  }

  private JsonObject sendSummary(int conversations, int events, long sends, SendStats stats, long sendNanos) {
    return new JsonObject()
        .put("scenario", options.scenario())
        .put("seed", options.generator().seed())
        .put("conversations", conversations)
        .put("events", events)
        .put("copiesSent", sends - events)
        .put("concurrency", options.concurrency())
        .put("rate", options.ratePerSecond() == 0 ? null : options.ratePerSecond())
        .put("sent", stats.sent)
        .put("accepted", stats.accepted)
        .put("duplicates", stats.duplicates)
        .put("deadLettered", stats.deadLettered)
        .put("http4xx", stats.http4xx)
        .put("http5xx", stats.http5xx)
        .put("ioErrors", stats.ioErrors)
        .put("retries", stats.retries)
        .put("failed", stats.failed)
        .put("sendSeconds", Rates.seconds(sendNanos))
        .put("acceptedPerSec", Rates.perSecond(stats.accepted, sendNanos))
        .put("httpMs", stats.httpNanos.summary(1_000_000));
  }

  private static long processCpuMillis() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
  }

  private static long threadCpuMillis(long threadId) {
    long nanos = ManagementFactory.getThreadMXBean().getThreadCpuTime(threadId);
    return nanos < 0 ? 0 : nanos / 1_000_000;
  }

  private static double cores(long cpuMillis, long wallNanos) {
    return Rates.oneDecimal(cpuMillis * 1e6 / wallNanos);
  }

  private static long megabytes(long kb) {
    return kb < 0 ? -1 : Math.round(kb / 1024.0);
  }
}
