package io.switchboard.dryrun;

import java.nio.file.Path;
import java.util.Set;

/**
 * The dry run's command line after {@code dry-run}. The launcher's own {@code -conf} (in each spelling it accepts)
 * has been read by the launcher already and is skipped here.
 *
 * @param input       the capture's path, or {@code -} for standard input
 * @param out         where to write each target's shaped payloads, or {@code null}
 * @param gapMillis   the synthetic time between lines ({@link Arrivals})
 * @param summaryOnly print only the summary, no line per verdict
 * @param help        print the usage and stop
 */
record DryRunOptions(String input, Path out, long gapMillis, boolean summaryOnly, boolean help) {

  static final String USAGE = """
      usage: java -jar switchboard.jar dry-run [-conf config.json] <capture.jsonl | -> [--out dir] [--gap-ms n] [--summary]
        capture.jsonl  one POST /events body a line: an EventBridge envelope, a notification message, or an array
        --out dir      write each target's shaped payloads to dir/<targetId>.jsonl
        --gap-ms n     synthetic time between lines, in ms (default 1: 1,000 lines a second)
        --summary      print only the summary tables""";

  private static final Set<String> CONF = Set.of("-conf", "--conf", "-config", "--config");

  /** @throws IllegalArgumentException saying what is wrong with {@code args} */
  static DryRunOptions parse(String[] args) {
    String input = null;
    Path out = null;
    long gap = Arrivals.DEFAULT_GAP_MILLIS;
    boolean summary = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (CONF.contains(arg)) {
        i++;
      } else if (arg.startsWith("-conf=") || arg.startsWith("--conf=")) {
        continue;
      } else if (arg.equals("-h") || arg.equals("--help")) {
        return new DryRunOptions(null, null, gap, false, true);
      } else if (arg.equals("--summary")) {
        summary = true;
      } else if (arg.equals("--out") || arg.startsWith("--out=")) {
        String dir = valueOf(args, i, "--out");
        i += arg.contains("=") ? 0 : 1;
        out = Path.of(dir);
      } else if (arg.equals("--gap-ms") || arg.startsWith("--gap-ms=")) {
        gap = gapOf(valueOf(args, i, "--gap-ms"));
        i += arg.contains("=") ? 0 : 1;
      } else if (arg.startsWith("-") && !arg.equals("-")) {
        throw new IllegalArgumentException("unknown option " + arg);
      } else if (input != null) {
        throw new IllegalArgumentException("one capture at a time, got " + input + " and " + arg);
      } else {
        input = arg;
      }
    }
    if (input == null) {
      throw new IllegalArgumentException("no capture file given");
    }
    return new DryRunOptions(input, out, gap, summary, false);
  }

  private static String valueOf(String[] args, int i, String option) {
    int equals = args[i].indexOf('=');
    if (equals >= 0) {
      return args[i].substring(equals + 1);
    }
    if (i + 1 >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i + 1];
  }

  private static long gapOf(String value) {
    try {
      long gap = Long.parseLong(value);
      if (gap >= 0) {
        return gap;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--gap-ms takes a whole number of ms, 0 or more, got " + value);
  }
}
