package io.switchboard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to run an {@link HttpSink}.
 *
 * @param targets          target ids, one port each
 * @param controlPort      port of {@code /stats}, {@code /down} and {@code /up}; 0 for any free one
 * @param firstTargetPort  the first target's port, the next ones follow; 0 for free ones
 * @param outages          outages to inject, timed from the sink's start
 * @param retryAfterSeconds {@code Retry-After} sent with a 503 while down; 0 sends none
 */
public record SinkOptions(List<String> targets, String host, int controlPort, int firstTargetPort,
                          List<Outage> outages, int retryAfterSeconds) {

  static final String USAGE = String.join(System.lineSeparator(),
      "usage: HttpSink [--targets a,b] [--host 127.0.0.1] [--port 9100] [--target-port 9101]",
      "                [--down TARGET:AFTER_S:FOR_S[:503|refuse]] [--retry-after 0]",
      "  --port         control port: GET /stats, POST /down?target=&seconds=&mode=503|refuse, POST /up?target=",
      "  --target-port  first target's port, the next targets take the following ports (0: any free port)",
      "  --down         take a target down AFTER_S seconds after start for FOR_S seconds");

  private static final Set<String> FLAGS = Set.of("--targets", "--host", "--port", "--target-port", "--down",
      "--retry-after");

  /** A scheduled outage of one target. */
  public record Outage(String target, long afterMillis, long forMillis, DownMode mode) {

    public Outage {
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(mode, "mode");
      if (afterMillis < 0 || forMillis < 1) {
        throw new IllegalArgumentException("an outage needs a start >= 0 and a length >= 1 ms");
      }
    }

    /** {@code TARGET:AFTER_S:FOR_S[:503|refuse]}, seconds may have decimals. */
    public static Outage parse(String text) {
      String[] parts = text.split(":");
      if (parts.length < 3 || parts.length > 4) {
        throw new IllegalArgumentException("--down must be TARGET:AFTER_S:FOR_S[:503|refuse], got " + text);
      }
      try {
        return new Outage(parts[0], Math.round(Double.parseDouble(parts[1]) * 1000),
            Math.round(Double.parseDouble(parts[2]) * 1000),
            parts.length == 4 ? DownMode.parse(parts[3]) : DownMode.UNAVAILABLE);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--down must be TARGET:AFTER_S:FOR_S[:503|refuse], got " + text);
      }
    }
  }

  public SinkOptions {
    targets = List.copyOf(targets);
    outages = List.copyOf(outages);
    Objects.requireNonNull(host, "host");
    if (targets.isEmpty() || targets.stream().distinct().count() != targets.size()) {
      throw new IllegalArgumentException("need one or more distinct targets, got " + targets);
    }
    for (Outage outage : outages) {
      if (!targets.contains(outage.target())) {
        throw new IllegalArgumentException("--down names no target: " + outage.target());
      }
    }
    if (controlPort < 0 || firstTargetPort < 0 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException("ports and --retry-after must be >= 0");
    }
  }

  /** For the benchmark: loopback, free ports, no outages scheduled by the sink itself. */
  static SinkOptions loopback(List<String> targets) {
    return new SinkOptions(targets, "127.0.0.1", 0, 0, List.of(), 0);
  }

  static SinkOptions parse(String[] args) {
    Map<String, List<String>> values = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!FLAGS.contains(args[i])) {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      values.computeIfAbsent(args[i], k -> new ArrayList<>()).add(args[i + 1]);
    }
    List<Outage> outages = values.getOrDefault("--down", List.of()).stream().map(Outage::parse).toList();
    try {
      return new SinkOptions(List.of(last(values, "--targets", "a,b").split(",")), last(values, "--host", "127.0.0.1"),
          Integer.parseInt(last(values, "--port", "9100")), Integer.parseInt(last(values, "--target-port", "9101")),
          outages, Integer.parseInt(last(values, "--retry-after", "0")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("ports and --retry-after must be whole numbers: " + e.getMessage());
    }
  }

  private static String last(Map<String, List<String>> values, String flag, String fallback) {
    List<String> given = values.get(flag);
    return given == null ? fallback : given.get(given.size() - 1);
  }
}
