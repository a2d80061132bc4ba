package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Load generator for {@code POST /events}: posts realistic Genesys conversations (see
 * {@link ConversationGenerator}) one envelope per request, then checks the server's file target for what
 * came out, and prints one JSON line of results on stdout (logs go to stderr).
 *
 * <p>Run from the repository root, against a server that is already listening:
 * <pre>
 * mvn -o -q -Pbench test-compile exec:exec -Dbench.args="--url http://127.0.0.1:8080/events \
 *     --conversations 2000 --concurrency 32 --out /tmp/sb/data/out/events.jsonl --server-pid 12345"
 * </pre>
 * {@code --help} lists every option; {@code -Dbench.jvm=...} replaces the generator's JVM flags.
 *
 * <p>Closed loop by default: {@code --concurrency} lanes, each one connection with one request in flight,
 * posting as fast as answers come back. A conversation's events all go through one lane, in order, and each
 * lane interleaves many conversations. {@code --rate} paces all lanes together to that many events/s (open
 * loop, still at most one request in flight per lane).
 *
 * <p>{@code LoadGenerator delivery ...} runs the {@link DeliveryBenchmark} (server as a child process, delivering
 * to an in-process {@link HttpSink}) and {@code LoadGenerator sink ...} a standalone {@link HttpSink}; each takes
 * {@code --help}. {@code LoadGenerator jmh ...} runs the JMH micro-benchmarks of {@code io.switchboard.bench.jmh}
 * with JMH's own command line ({@code jmh -h} lists it).
 *
 * <p>Every envelope carries its send time in the extra top-level field {@code x-sent-at}, which the server
 * keeps verbatim, so the file target gives both ingest→delivered and sent→delivered latency.
 */
public final class LoadGenerator {

  private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);

  private final LoadOptions options;

  private LoadGenerator(LoadOptions options) {
    this.options = options;
  }

  public static void main(String[] args) throws Exception {
    // Subcommands, so that the bench profile's single exec:exec entry point runs every tool.
    if (args.length > 0 && args[0].equals("delivery")) {
      DeliveryBenchmark.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("jmh")) {
      // JMH forks its measurement JVMs with this JVM's class path and flags (-Dbench.jvm).
      org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("memory")) {
      MemoryCurves.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("sink")) {
      HttpSink.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    LoadOptions options = CommandLine.parseOrExit("LoadGenerator", LoadOptions.USAGE, args, LoadOptions::parse);
    if (options == null) {
      return;
    }
    String line = new LoadGenerator(options).run().encode();
    // stdout carries the result and nothing else; --result keeps a clean copy for harnesses.
    System.out.println(line);
    if (options.result() != null) {
      Files.writeString(options.result(), line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    }
  }

  private JsonObject run() throws IOException, InterruptedException {
    long generating = System.nanoTime();
    List<GeneratedConversation> conversations =
        new ConversationGenerator(options.generator()).generate(options.conversations());
    List<String> expected = new ArrayList<>();
    Map<String, ConversationKind> kinds = new HashMap<>();
    long sends = 0;
    for (GeneratedConversation conversation : conversations) {
      expected.addAll(conversation.expectedIds());
      kinds.put(conversation.id(), conversation.kind());
      sends += conversation.sends().size();
    }
    List<List<Send>> lanes = SendPlan.lanes(conversations, options.concurrency());
    LOG.info("generated [{}] conversations, [{}] events, [{}] sends in [{}] ms", conversations.size(),
        expected.size(), sends, (System.nanoTime() - generating) / 1_000_000);
    DeliveryWatcher watcher = options.out() == null ? null : new DeliveryWatcher(options.out());

    Vertx vertx = Vertx.vertx();
    try {
      CpuMeter cpu = new CpuMeter(options.serverPid());
      long startMillis = System.currentTimeMillis();
      long start = System.nanoTime();

      Pacer pacer = Pacer.start(options.ratePerSecond());
      List<Future<SendStats>> lanesDone = new ArrayList<>(lanes.size());
      for (List<Send> lane : lanes) {
        LaneSender sender = new LaneSender(options.target(), lane, pacer);
        lanesDone.add(vertx.deployVerticle(sender).compose(id -> sender.finished()));
      }
      Future.all(lanesDone).await();
      long sendNanos = System.nanoTime() - start;
      // Cores busy while sending tell who saturates the box; the totals below also cover the wait for delivery
      // and, for the generator, parsing the file target.
      JsonObject usage = new JsonObject().put("sendGeneratorCores", cores(cpu.generatorMillis(), sendNanos));
      if (cpu.measuresServer()) {
        usage.put("sendServerCores", cores(cpu.serverMillis(), sendNanos));
      }
      SendStats stats = new SendStats();
      lanesDone.forEach(lane -> stats.add(lane.result()));
      LOG.info("sent [{}] in [{}] ms; waiting for delivery", stats.sent, sendNanos / 1_000_000);

      DeliveryWatcher.Result delivery = watcher == null ? null : watcher.await(expected, options.quietMillis());
      usage.put("wallSeconds", Rates.seconds(System.nanoTime() - start))
          .put("generatorCpuSeconds", cpu.generatorMillis() / 1e3);
      if (cpu.measuresServer()) {
        usage.put("serverCpuSeconds", cpu.serverMillis() / 1e3);
      }

      JsonObject result = sendSummary(stats, expected.size(), sends, sendNanos);
      if (delivery != null) {
        result.put("complete", delivery.complete()).mergeIn(DeliveryReport.of(delivery.lines(), expected, kinds))
            .put("deliveredPerSecWall", Rates.perSecond(delivery.lines().size(),
                (delivery.lastLineMillis() - startMillis) * 1_000_000));
      }
      return result.put("cpu", usage);
    } finally {
      vertx.close().await();
    }
  }

  private static double cores(long cpuMillis, long wallNanos) {
    return Rates.oneDecimal(cpuMillis * 1e6 / wallNanos);
  }

  private JsonObject sendSummary(SendStats stats, int events, long sends, long sendNanos) {
    return new JsonObject()
        .put("seed", options.generator().seed())
        .put("conversations", options.conversations())
        .put("events", events)
        .put("concurrency", options.concurrency())
        .put("rate", options.ratePerSecond() == 0 ? null : options.ratePerSecond())
        .put("sent", stats.sent)
        .put("copiesSent", sends - events)
        .put("accepted", stats.accepted)
        .put("duplicates", stats.duplicates)
        .put("rejected", stats.deadLettered + stats.ignored + stats.http4xx)
        .put("deadLettered", stats.deadLettered)
        .put("ignored", stats.ignored)
        .put("http4xx", stats.http4xx)
        .put("http5xx", stats.http5xx)
        .put("ioErrors", stats.ioErrors)
        .put("retries", stats.retries)
        .put("failed", stats.failed)
        .put("sendSeconds", Rates.seconds(sendNanos))
        .put("sentPerSec", Rates.perSecond(stats.sent, sendNanos))
        .put("acceptedPerSec", Rates.perSecond(stats.accepted, sendNanos))
        .put("httpMs", stats.httpNanos.summary(1_000_000));
  }
}
