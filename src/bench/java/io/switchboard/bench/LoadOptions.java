package io.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The load generator's command line, parsed and validated.
 *
 * @param ratePerSecond  open-loop events/s over all lanes; 0 for closed loop (as fast as answers come back)
 * @param out            the server's file target to check delivery in; {@code null} to only send
 * @param quietMillis    stop waiting for delivery after this long without a new line
 * @param serverPid      process whose CPU time to report; -1 for none
 * @param result         file to append the result line to; {@code null} for stdout only
 */
record LoadOptions(String url, Target target, int conversations, int concurrency, double ratePerSecond, Path out,
                   long quietMillis, long serverPid, Path result, GeneratorOptions generator) {

  /** What the disorder flags do, for every usage text that takes {@link #GENERATOR_FLAGS}. */
  static final String DISORDER_USAGE = String.join(System.lineSeparator(),
      "  Disorder, each a chance per event, all drawn from --seed (the defaults: swaps only):",
      "  --swaps       an event is sent just after the next event of its conversation (2 % by default; 0: none)",
      "  --bursts      a run of --burst-size events of a conversation starts here, sent back to back shuffled",
      "                (any order but the original) or reversed (--burst-order); default 0",
      "  --delays      an event is held back in real time by a delay drawn from --delay-ms MIN-MAX (default",
      "                500-5000) by --delay-dist (log-uniform, the default, or uniform) while its conversation's",
      "                later events go ahead; its copies are held as long; default 0",
      "  --duplicates  the same envelope is sent again; --republish: the same content under a new envelope id",
      "  --swaps 0 --bursts 0 --delays 0 sends every conversation in eventTime order");

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: LoadGenerator [--url http://127.0.0.1:8080/events] [--conversations 2000] [--concurrency 32]",
      "                     [--rate EVENTS_PER_S] [--out data/out/events.jsonl] [--quiet-ms 10000] [--seed 1]",
      "                     [--duplicates 0.01] [--republish 0.005] [--swaps 0.02] [--mix 70,15,15]",
      "                     [--bursts 0] [--burst-size 4] [--burst-order shuffle|reverse]",
      "                     [--delays 0] [--delay-ms 500-5000] [--delay-dist log-uniform|uniform]",
      "                     [--server-pid PID] [--result results.jsonl]",
      "  --rate     open loop at that many events/s (default: closed loop, one request per connection at a time)",
      "  --out      the server's file target; wait until it holds every event, then judge delivery",
      "  --mix      relative weights of voice, messaging-with-callback and abandoned conversations",
      DISORDER_USAGE,
      "  --server-pid  report that process's CPU time over the run",
      "  --result   also append the result line to this file (Maven's console may add escape codes to stdout)",
      "subcommands: LoadGenerator delivery --help (server + http targets + sink, one command),",
      "             LoadGenerator sink --help (the HTTP sink on its own),",
      "             LoadGenerator jmh -h (JMH micro-benchmarks, io.switchboard.bench.jmh)");

  /** The generator's flags, which every command that generates load takes ({@link #generator}). */
  static final List<String> GENERATOR_FLAGS = List.of("--seed", "--duplicates", "--republish", "--swaps", "--mix",
      "--bursts", "--burst-size", "--burst-order", "--delays", "--delay-ms", "--delay-dist");

  private static final List<String> FLAGS = concat(List.of("--url", "--conversations", "--concurrency", "--rate",
      "--out", "--quiet-ms", "--server-pid", "--result"), GENERATOR_FLAGS);

  LoadOptions {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(generator, "generator");
    if (conversations < 1) {
      throw new IllegalArgumentException("--conversations must be >= 1, got " + conversations);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("--concurrency must be >= 1, got " + concurrency);
    }
    if (!(ratePerSecond >= 0)) {
      throw new IllegalArgumentException("--rate must be >= 0, got " + ratePerSecond);
    }
    if (quietMillis < 0) {
      throw new IllegalArgumentException("--quiet-ms must be >= 0, got " + quietMillis);
    }
  }

  /** @throws IllegalArgumentException naming the offending flag */
  static LoadOptions parse(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (!FLAGS.contains(flag)) {
        throw new IllegalArgumentException("unknown option " + flag);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      values.put(flag, args[i + 1]);
    }
    GeneratorOptions generator = generator(values);
    String url = values.getOrDefault("--url", "http://127.0.0.1:8080/events");
    String out = values.get("--out");
    String result = values.get("--result");
    return new LoadOptions(url, Target.of(url),
        number(values, "--conversations", 2000, Integer::parseInt),
        number(values, "--concurrency", 32, Integer::parseInt),
        number(values, "--rate", 0.0, Double::parseDouble),
        out == null ? null : Path.of(out),
        number(values, "--quiet-ms", 10_000L, Long::parseLong),
        number(values, "--server-pid", -1L, Long::parseLong),
        result == null ? null : Path.of(result),
        generator);
  }

  /** The generator flags ({@link #GENERATOR_FLAGS}), shared with other benchmarks. */
  static GeneratorOptions generator(Map<String, String> values) {
    GeneratorOptions defaults = GeneratorOptions.defaults(1);
    int[] mix = mix(values.getOrDefault("--mix", "70,15,15"));
    BurstOptions bursts = new BurstOptions(
        number(values, "--bursts", BurstOptions.NONE.ratio(), Double::parseDouble),
        number(values, "--burst-size", BurstOptions.NONE.size(), Integer::parseInt),
        values.containsKey("--burst-order") ? BurstOptions.Order.parse(values.get("--burst-order"))
            : BurstOptions.NONE.order());
    DelayOptions delays = DelayOptions.withRange(
        number(values, "--delays", DelayOptions.NONE.ratio(), Double::parseDouble),
        values.getOrDefault("--delay-ms", DelayOptions.NONE.minMillis() + "-" + DelayOptions.NONE.maxMillis()),
        values.containsKey("--delay-dist") ? DelayOptions.Distribution.parse(values.get("--delay-dist"))
            : DelayOptions.NONE.distribution());
    return new GeneratorOptions(
        number(values, "--seed", defaults.seed(), Long::parseLong),
        defaults.epochMillis(), defaults.meanArrivalGapMillis(), mix[0], mix[1], mix[2],
        number(values, "--duplicates", defaults.duplicateRatio(), Double::parseDouble),
        number(values, "--republish", defaults.republishRatio(), Double::parseDouble),
        number(values, "--swaps", defaults.swapRatio(), Double::parseDouble),
        bursts, delays);
  }

  static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return List.copyOf(all);
  }

  static <T> T number(Map<String, String> values, String flag, T fallback,
                              Function<String, T> parser) {
    String raw = values.get(flag);
    if (raw == null) {
      return fallback;
    }
    try {
      return parser.apply(raw.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a number, got " + raw);
    }
  }

  private static int[] mix(String raw) {
    String[] parts = raw.split(",");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--mix must be three weights voice,messaging,abandon, got " + raw);
    }
    int[] weights = new int[3];
    for (int i = 0; i < 3; i++) {
      try {
        weights[i] = Integer.parseInt(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--mix must be three whole numbers, got " + raw);
      }
    }
    return weights;
  }
}
