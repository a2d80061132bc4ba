package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stop-the-world pauses of a child JVM, summed from its unified GC log. JMX would need a remote connector into
 * the child; {@code -Xlog:gc:file=gc.log} (which {@link ServerProcess} adds) needs nothing and is what an operator
 * would read. Lines look like {@code [1.234s][info][gc] GC(3) Pause Young (Normal) (G1 Evacuation Pause)
 * 24M->4M(256M) 3.210ms}; concurrent phases carry no "Pause" and are not counted.
 */
final class GcLog {

  /** The JVM option that writes the log this class reads, relative to the child's working directory. */
  static final String FILE_NAME = "gc.log";
  static final String JVM_FLAG = "-Xlog:gc:file=" + FILE_NAME;

  private GcLog() {
  }

  /** {@code {"pauses","pauseTotalMs","pauseMaxMs"}}; only {@code {"pauses":null}} when the log is missing. */
  static JsonObject pauses(Path log) {
    List<String> lines;
    try {
      lines = Files.readAllLines(log);
    } catch (IOException e) {
      return new JsonObject().putNull("pauses");
    }
    return pauses(lines);
  }

  static JsonObject pauses(List<String> lines) {
    long count = 0;
    double total = 0;
    double max = 0;
    for (String line : lines) {
      double millis = pauseMillis(line);
      if (millis >= 0) {
        count++;
        total += millis;
        max = Math.max(max, millis);
      }
    }
    return new JsonObject().put("pauses", count).put("pauseTotalMs", Rates.oneDecimal(total))
        .put("pauseMaxMs", Rates.oneDecimal(max));
  }

  /** The duration of a pause line; -1 for any other line. */
  static double pauseMillis(String line) {
    if (!line.contains(" Pause ") || !line.endsWith("ms")) {
      return -1;
    }
    int space = line.lastIndexOf(' ');
    try {
      return Double.parseDouble(line.substring(space + 1, line.length() - 2));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
