package io.switchboard.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.kinesis.KinesisDeliveryChannel;
import io.switchboard.dispatch.kinesis.KinesisTargetOptions;
import io.switchboard.it.Eventually;
import io.switchboard.it.GeneratedConversations;
import io.switchboard.it.Kinesalite;
import io.switchboard.it.KinesisStreams;
import io.switchboard.it.Samples;
import io.switchboard.it.TestServer;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Records/s into kinesalite from one node, and the PutRecords batch sizes that come out, in two setups:
 * <ul>
 *   <li>{@code --mode channel}: one {@link KinesisDeliveryChannel} driven the way a saturated dispatcher drives it
 *       (up to {@code --in-flight} records outstanding, handed over in chunks of up to 500 as earlier ones
 *       complete), with a real envelope as every record's data: what the channel, the SDK and kinesalite manage;</li>
 *   <li>{@code --mode server}: the whole server (ingest, dedup, reorder, state, one kinesis target) fed generated
 *       voice conversations as JSON arrays over HTTP, until every event is settled.</li>
 * </ul>
 * Starts its own kinesalite (installing it if needed). Prints one JSON line on stdout; logs go to stderr.
 * <pre>
 * mvn -o -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.KinesisBench \
 *     -Dbench.args="--mode channel --records 100000 --shards 4"
 * mvn -o -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.KinesisBench \
 *     -Dbench.args="--mode server --conversations 2000 --shards 4 --lanes 8"
 * </pre>
 */
public final class KinesisBench {

  private static final Logger LOG = LoggerFactory.getLogger(KinesisBench.class);
  private static final String STREAM = "bench";

  private KinesisBench() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new HashMap<>(Map.of("--mode", "channel", "--records", "100000", "--conversations",
        "2000", "--shards", "4", "--lanes", "8", "--in-flight", "2000", "--linger", "10"));
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i], args[i + 1]);
    }
    try (Kinesalite kinesalite = Kinesalite.start()) {
      JsonObject result = "server".equals(opts.get("--mode")) ? server(kinesalite, opts) : channel(kinesalite, opts);
      String line = result.encode();
      // stdout carries the result and nothing else; --result keeps a clean copy for harnesses.
      System.out.println(line);
      if (opts.containsKey("--result")) {
        Files.writeString(Path.of(opts.get("--result")), line + System.lineSeparator(), StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    }
  }

  private static JsonObject target(Kinesalite kinesalite, Map<String, String> opts) {
    return new JsonObject().put("id", "bench").put("type", "kinesis").put("stream", STREAM).put("region", "us-east-1")
        .put("endpoint", kinesalite.endpoint().toString()).put("http1", true).put("cbor", false)
        .put("lingerMs", Long.parseLong(opts.get("--linger")));
  }

  // --- channel ---------------------------------------------------------------------------------------------

  private static JsonObject channel(Kinesalite kinesalite, Map<String, String> opts) throws Exception {
    int records = Integer.parseInt(opts.get("--records"));
    int inFlight = Integer.parseInt(opts.get("--in-flight"));
    Vertx vertx = Vertx.vertx();
    try {
      KinesisStreams streams = new KinesisStreams(vertx, kinesalite.endpoint());
      await(streams.create(STREAM, Integer.parseInt(opts.get("--shards"))));
      MeterRegistry registry = new SimpleMeterRegistry();
      JsonObject json = target(kinesalite, opts).put("staticCredentialsFromEnv",
          new JsonObject().put("accessKeyId", "ID").put("secretAccessKey", "SECRET"));
      Map<String, String> env = Map.of("ID", KinesisStreams.ACCESS_KEY, "SECRET", KinesisStreams.SECRET_KEY);
      KinesisDeliveryChannel channel = new KinesisDeliveryChannel(vertx, "bench",
          KinesisTargetOptions.from(new ConfigNode(json, "bench"), env::get), registry);
      Context context = vertx.getOrCreateContext();
      await(on(context, channel::start));
      Buffer body = Samples.bytes("eb-voice-04-acd-start.json");
      Promise<Long> done = Promise.promise();
      long started = System.nanoTime();
      context.runOnContext(v -> new ClosedLoop(channel, body, records, inFlight, started, done).start());
      long nanos = await(done.future());
      await(on(context, channel::stop));
      long stored = await(streams.readAll(STREAM)).size();
      streams.close();
      return summary(registry, "channel", records, nanos).put("recordBytes", body.length()).put("inFlight", inFlight)
          .put("shards", Integer.parseInt(opts.get("--shards"))).put("stored", stored);
    } finally {
      await(vertx.close());
    }
  }

  /** Keeps up to {@code inFlight} records outstanding, refilling in chunks of up to 500 as a dispatcher does. */
  private static final class ClosedLoop {
    private final KinesisDeliveryChannel channel;
    private final Buffer body;
    private final int total;
    private final int inFlight;
    private final long started;
    private final Promise<Long> done;
    private int handedOver;
    private int completed;
    private int outstanding;

    ClosedLoop(KinesisDeliveryChannel channel, Buffer body, int total, int inFlight, long started, Promise<Long> done) {
      this.channel = channel;
      this.body = body;
      this.total = total;
      this.inFlight = inFlight;
      this.started = started;
      this.done = done;
    }

    void start() {
      refill();
    }

    private void refill() {
      while (outstanding < inFlight && handedOver < total) {
        int n = Math.min(Math.min(500, inFlight - outstanding), total - handedOver);
        List<Delivery> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          batch.add(delivery(handedOver + i));
        }
        handedOver += n;
        outstanding += n;
        channel.deliver(batch).onComplete(ar -> {
          outstanding -= n;
          completed += n;
          if (completed == total) {
            done.complete(System.nanoTime() - started);
          } else {
            refill();
          }
        });
      }
    }

    private Delivery delivery(int n) {
      // Keys cycle over more conversations than are ever outstanding, as the dispatcher's one-per-key rule implies.
      String conversation = "conversation-" + (n % (inFlight * 4));
      PipelineEvent event = new PipelineEvent(new Ticket("bench", 1), "bench", "e" + n, "f" + n, conversation,
          "acd.start", "topic", n, n, "VOICE", null, null, null, null, false, new JsonObject(), body);
      return new Delivery(new ProcessedEvent(event, "queued", 1, Buffer.buffer("{}"), n), body, "f" + n, "all", 1)
          .orderedBy(conversation);
    }
  }

  // --- server ----------------------------------------------------------------------------------------------

  private static JsonObject server(Kinesalite kinesalite, Map<String, String> opts) throws Exception {
    int conversations = Integer.parseInt(opts.get("--conversations"));
    int lanes = Integer.parseInt(opts.get("--lanes"));
    System.setProperty("aws.accessKeyId", KinesisStreams.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", KinesisStreams.SECRET_KEY);
    Vertx vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    Path dir = Files.createTempDirectory("kinesis-bench");
    try {
      KinesisStreams streams = new KinesisStreams(vertx, kinesalite.endpoint());
      await(streams.create(STREAM, Integer.parseInt(opts.get("--shards"))));
      JsonObject config = TestServer.config(dir).put("targets", new JsonArray().add(target(kinesalite, opts)));
      config.getJsonObject("http").put("instances", 2);
      config.getJsonObject("reorder").put("windowMs", 2000);
      TestServer server = await(TestServer.start(vertx, dir, config));
      List<JsonArray> bodies = GeneratedConversations.voice("bench-" + System.nanoTime(), conversations, 20);
      int events = bodies.size() * 10;
      LOG.info("posting [{}] events in [{}] arrays over [{}] lanes", events, bodies.size(), lanes);
      long started = System.nanoTime();
      List<Future<Void>> all = new ArrayList<>();
      for (int lane = 0; lane < lanes; lane++) {
        Future<Void> chain = Future.succeededFuture();
        for (int i = lane; i < bodies.size(); i += lanes) {
          Buffer body = bodies.get(i).toBuffer();
          chain = chain.compose(v -> server.post(body).compose(r -> r.statusCode() == 202 ? Future.<Void>succeededFuture()
              : Future.failedFuture("answered " + r.statusCode() + ": " + r.bodyAsString())));
        }
        all.add(chain);
      }
      await(Future.all(all));
      long postedNanos = System.nanoTime() - started;
      await(Eventually.poll(vertx, 600_000, () -> server.inFlight().map(n -> n == 0)));
      long nanos = System.nanoTime() - started;
      long stored = await(streams.readAll(STREAM)).size();
      streams.close();
      String metrics = await(server.get("/metrics")).bodyAsString();
      double count = sample(metrics, "switchboard_kinesis_batch_size_count");
      double sum = sample(metrics, "switchboard_kinesis_batch_size_sum");
      return new JsonObject().put("mode", "server").put("events", events).put("stored", stored)
          .put("postSeconds", round(postedNanos / 1e9)).put("seconds", round(nanos / 1e9))
          .put("recordsPerSecond", round(events / (nanos / 1e9)))
          .put("requests", (long) count).put("batchMean", round(sum / count))
          .put("batchMax", sample(metrics, "switchboard_kinesis_batch_size_max"))
          .put("putLatencyMeanMs", round(1000 * sample(metrics, "switchboard_kinesis_put_latency_seconds_sum")
              / sample(metrics, "switchboard_kinesis_put_latency_seconds_count")))
          .put("putLatencyMaxMs", round(1000 * sample(metrics, "switchboard_kinesis_put_latency_seconds_max")))
          .put("shards", Integer.parseInt(opts.get("--shards"))).put("lanes", lanes);
    } finally {
      await(vertx.close());
    }
  }

  private static double sample(String metrics, String name) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return Double.NaN;
  }

  // --- helpers ---------------------------------------------------------------------------------------------

  private static JsonObject summary(MeterRegistry registry, String mode, int records, long nanos) {
    DistributionSummary batches = registry.get("switchboard.kinesis.batch.size").summary();
    Timer latency = registry.get("switchboard.kinesis.put.latency").timer();
    return new JsonObject().put("mode", mode).put("records", records).put("seconds", round(nanos / 1e9))
        .put("recordsPerSecond", round(records / (nanos / 1e9)))
        .put("requests", batches.count()).put("batchMean", round(batches.mean())).put("batchMax", batches.max())
        .put("putLatencyMeanMs", round(latency.mean(TimeUnit.MILLISECONDS)))
        .put("putLatencyMaxMs", round(latency.max(TimeUnit.MILLISECONDS)))
        .put("put", registry.get("switchboard.kinesis.records").tag("result", "put").counter().count());
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }

  private static <T> Future<T> on(Context context, java.util.function.Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }

  /** The bench's main thread waits for the event loops; never call this on one. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.MINUTES);
  }
}
