package io.switchboard.bench;

import io.switchboard.it.ShippedJvmOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The delivery benchmark's command line, parsed and validated.
 *
 * @param work            the server's working directory; {@code null} for a new temporary one
 * @param conversations   how many conversations to send, unless {@code durationSeconds} sizes the run
 * @param ratePerSecond   open loop at that many sends/s over all lanes; 0 for closed loop
 * @param durationSeconds with a rate: generate enough conversations to send for about this long; 0 to use
 *                        {@code conversations}
 * @param outage          one target's outage, timed from the start of sending; {@code null} for none
 * @param warmupMillis    sends this early are left out of the outage report's latency windows (JIT warm-up)
 * @param quietMillis     stop waiting for deliveries after this long without a new one
 * @param maxWaitMillis   stop waiting for deliveries after this long in any case
 * @param scrapeMillis    how often {@code /metrics} and the sink counts are sampled
 * @param serverJvm       JVM flags for the server (and for the forwarder: the same, so the two compare): the shipped
 *                        ones from {@code conf/jvm.options}, then {@code --server-jvm}
 * @param server          what runs between generator and sink when not comparing
 * @param compare         run Switchboard, then the {@link BareForwarder}, on the same load, and report both and
 *                        their ratio ({@link Comparison})
 * @param smoke           a short correctness check against Switchboard ({@link SmokeCheck}): smaller defaults,
 *                        and a non-zero exit when anything was lost, duplicated or reordered
 * @param targets         the sink targets the server gets, one {@code http} target each ({@code --targets N})
 * @param serverConfigPatch merged into the generated server config ({@code --server-config-patch}): objects
 *                        merge key by key, anything else replaces
 */
record DeliveryOptions(Path jar, Path work, int conversations, int concurrency, double ratePerSecond,
                       int durationSeconds, SinkOptions.Outage outage, long warmupMillis, long quietMillis,
                       long maxWaitMillis,
                       long scrapeMillis, List<String> serverJvm, Path result, GeneratorOptions generator,
                       ServerKind server, boolean compare, boolean smoke, List<String> targets,
                       JsonObject serverConfigPatch) {

  /** The sink targets the server is configured with, by default. */
  static final List<String> TARGETS = List.of("a", "b");
  /** Names for {@code --targets N}: the first N of these. */
  private static final List<String> TARGET_NAMES = List.of("a", "b", "c", "d");

  /*
   * Smoke defaults: about 1,850 events, enough for every conversation kind, a few dozen injected duplicates and
   * swaps, and a few hundred concurrently open conversations; with a cold server JVM it takes 15-20 s in all.
   * The waits are generous for a slow CI runner, and only a failing run ever waits them out.
   */
  private static final int SMOKE_CONVERSATIONS = 200;
  private static final int SMOKE_CONCURRENCY = 4;
  private static final long SMOKE_QUIET_MILLIS = 10_000;
  private static final long SMOKE_MAX_WAIT_MILLIS = 60_000;

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: LoadGenerator delivery [--server switchboard|forwarder | --compare | --smoke]",
      "         [--jar target/switchboard.jar] [--work DIR] [--conversations 2000]",
      "         [--concurrency 16] [--rate SENDS_PER_S [--duration-s S]] [--outage b:AFTER_S:FOR_S[:503|refuse]]",
      "         [--warmup-s 0]",
      "         [--quiet-ms 15000] [--max-wait-ms 240000] [--scrape-ms 1000] [--server-jvm \"-XX:... ...\"]",
      "         [--result FILE] [--seed 1] [--duplicates 0.01] [--republish 0.005] [--swaps 0.02] [--mix 70,15,15]",
      "         [--bursts 0] [--burst-size 4] [--burst-order shuffle|reverse]",
      "         [--delays 0] [--delay-ms 500-5000] [--delay-dist log-uniform|uniform]",
      "         [--targets 2] [--server-config-patch shards=64,state.instances=2]",
      "  Starts an HttpSink with targets a and b in this JVM, the server jar as a child process configured with",
      "  exactly those two http targets, sends, waits for both targets to have every event, stops the server",
      "  with SIGTERM and prints one JSON line.",
      "  --server    switchboard (default) or forwarder: the bare Vert.x forwarder that is the harness's ceiling",
      "  --compare   switchboard, then forwarder, on the same load; one line with both and their ratio",
      "  --smoke     correctness only (defaults: 200 conversations, concurrency 4, quiet 10 s, max wait 60 s);",
      "              exits 1 unless every event reached every target once, in order: only an event that reached",
      "              the server more than its lateness bound (/ready reorder.latenessMs.http) after a later event",
      "              of its conversation may come after it; with no bound reported, none may",
      "  --work      a new or empty directory (with --compare it gets switchboard/ and forwarder/ inside)",
      "  --rate      open loop; with --duration-s the run is sized to send for about that long",
      "  --outage    take a target down AFTER_S seconds after sending starts, for FOR_S seconds",
      "  --server-jvm  JVM flags for the server (and the forwarder), after the shipped ones in conf/jvm.options",
      "              (a later -Xmx wins)",
      "  --warmup-s  leave the first seconds of sends out of the latencies: the outage report's windows, and the",
      "              `steady` block (rates, latencies, server CPU per event from S seconds to the end of sending)",
      "  --targets   how many http targets (1-4, named a, b, c, d), all at the sink",
      "  --server-config-patch  merged (deeply) into the generated server config: path=value pairs such as",
      "              shards=64,dedup.instances=2,reorder.instances=2,state.instances=2, or a JSON object",
      LoadOptions.DISORDER_USAGE);

  private static final List<String> FLAGS = LoadOptions.concat(List.of("--jar", "--work", "--conversations",
      "--concurrency", "--rate", "--duration-s", "--outage", "--warmup-s", "--quiet-ms", "--max-wait-ms", "--scrape-ms",
      "--server-jvm", "--result", "--server", "--targets", "--server-config-patch"), LoadOptions.GENERATOR_FLAGS);
  /** Options without a value. */
  private static final List<String> SWITCHES = List.of("--compare", "--smoke");

  DeliveryOptions {
    Objects.requireNonNull(jar, "jar");
    Objects.requireNonNull(generator, "generator");
    serverJvm = List.copyOf(serverJvm);
    targets = List.copyOf(targets);
    serverConfigPatch = serverConfigPatch == null ? new JsonObject() : serverConfigPatch;
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("--targets must be >= 1");
    }
    if (conversations < 1 || concurrency < 1) {
      throw new IllegalArgumentException("--conversations and --concurrency must be >= 1");
    }
    if (!(ratePerSecond >= 0) || durationSeconds < 0) {
      throw new IllegalArgumentException("--rate and --duration-s must be >= 0");
    }
    if (durationSeconds > 0 && ratePerSecond == 0) {
      throw new IllegalArgumentException("--duration-s needs --rate (a closed loop runs as fast as it can)");
    }
    if (outage != null && !targets.contains(outage.target())) {
      throw new IllegalArgumentException("--outage target must be one of " + targets + ", got " + outage.target());
    }
    if (warmupMillis < 0 || quietMillis < 0 || maxWaitMillis < 0 || scrapeMillis < 100) {
      throw new IllegalArgumentException("--warmup-s, --quiet-ms and --max-wait-ms must be >= 0, --scrape-ms >= 100");
    }
    Objects.requireNonNull(server, "server");
    if (compare && smoke) {
      throw new IllegalArgumentException("--compare and --smoke are separate runs");
    }
    if ((smoke || compare) && server != ServerKind.SWITCHBOARD) {
      throw new IllegalArgumentException("--server does not go with --compare (runs both) or --smoke (Switchboard's"
          + " guarantees; the forwarder has none)");
    }
    // The forwarder has no retry policy and no metrics, so an outage would measure nothing but its 503s.
    if (outage != null && (compare || server == ServerKind.FORWARDER)) {
      throw new IllegalArgumentException("--outage needs --server switchboard and no --compare");
    }
  }

  static DeliveryOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    int i = 0;
    while (i < args.length) {
      String flag = args[i];
      if (SWITCHES.contains(flag)) {
        values.put(flag, "true");
        i++;
        continue;
      }
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      values.put(flag, args[i + 1]);
      i += 2;
    }
    boolean smoke = values.containsKey("--smoke");
    String work = values.get("--work");
    String outage = values.get("--outage");
    String jvm = values.getOrDefault("--server-jvm", "").trim();
    String result = values.get("--result");
    int targetCount = LoadOptions.number(values, "--targets", TARGETS.size(), Integer::parseInt);
    if (targetCount < 1 || targetCount > TARGET_NAMES.size()) {
      throw new IllegalArgumentException("--targets must be 1 to " + TARGET_NAMES.size());
    }
    String patch = values.get("--server-config-patch");
    JsonObject configPatch = patch == null ? new JsonObject() : configPatch(patch);
    return new DeliveryOptions(Path.of(values.getOrDefault("--jar", "target/switchboard.jar")),
        work == null ? null : Path.of(work),
        LoadOptions.number(values, "--conversations", smoke ? SMOKE_CONVERSATIONS : 2000, Integer::parseInt),
        LoadOptions.number(values, "--concurrency", smoke ? SMOKE_CONCURRENCY : 16, Integer::parseInt),
        LoadOptions.number(values, "--rate", 0.0, Double::parseDouble),
        LoadOptions.number(values, "--duration-s", 0, Integer::parseInt),
        outage == null ? null : SinkOptions.Outage.parse(outage),
        LoadOptions.number(values, "--warmup-s", 0L, Long::parseLong) * 1000,
        LoadOptions.number(values, "--quiet-ms", smoke ? SMOKE_QUIET_MILLIS : 15_000L, Long::parseLong),
        LoadOptions.number(values, "--max-wait-ms", smoke ? SMOKE_MAX_WAIT_MILLIS : 240_000L, Long::parseLong),
        LoadOptions.number(values, "--scrape-ms", 1_000L, Long::parseLong),
        ShippedJvmOptions.plus(jvm.isEmpty() ? List.of() : Arrays.asList(jvm.split("\\s+"))),
        result == null ? null : Path.of(result),
        LoadOptions.generator(values),
        ServerKind.parse(values.getOrDefault("--server", ServerKind.SWITCHBOARD.label())),
        values.containsKey("--compare"),
        smoke,
        TARGET_NAMES.subList(0, targetCount),
        configPatch);
  }

  /**
   * A {@code --server-config-patch}: a JSON object, or (easier to pass through a shell and exec:exec, which strip
   * double quotes) comma-separated {@code dotted.path=value} pairs, e.g. {@code shards=64,state.instances=2};
   * a value that parses as a JSON number or boolean is one, anything else is a string.
   */
  static JsonObject configPatch(String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("{")) {
      try {
        return new JsonObject(trimmed);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("--server-config-patch is not a JSON object: " + e.getMessage());
      }
    }
    JsonObject patch = new JsonObject();
    for (String pair : trimmed.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--server-config-patch wants path=value pairs, got " + pair);
      }
      String[] path = pair.substring(0, eq).trim().split("\\.");
      String raw = pair.substring(eq + 1).trim();
      Object value;
      if (raw.equals("true") || raw.equals("false")) {
        value = Boolean.parseBoolean(raw);
      } else {
        try {
          value = raw.contains(".") ? (Object) Double.parseDouble(raw) : (Object) Long.parseLong(raw);
        } catch (NumberFormatException e) {
          value = raw;
        }
      }
      JsonObject at = patch;
      for (int i = 0; i < path.length - 1; i++) {
        JsonObject next = at.getJsonObject(path[i]);
        if (next == null) {
          next = new JsonObject();
          at.put(path[i], next);
        }
        at = next;
      }
      at.put(path[path.length - 1], value);
    }
    return patch;
  }

  String scenario() {
    if (smoke) {
      return "smoke";
    }
    return outage != null ? "outage" : ratePerSecond > 0 ? "open-loop" : "closed-loop";
  }
}
