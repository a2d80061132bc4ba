package io.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags Switchboard ships with ({@code conf/jvm.options}, one per line, {@code #} comments). The process
 * test and the benchmarks start servers with them, so that what they check and measure is the shipped setting.
 */
public final class ShippedJvmOptions {

  public static final Path FILE = Path.of("conf/jvm.options");

  private ShippedJvmOptions() {
  }

  /** The shipped flags followed by {@code extra} (HotSpot takes the last of a repeated flag such as -Xmx). */
  public static List<String> plus(List<String> extra) {
    List<String> flags = new ArrayList<>(read());
    flags.addAll(extra);
    return List.copyOf(flags);
  }

  public static List<String> read() {
    try {
      return Files.readAllLines(FILE).stream().map(String::trim)
          .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + FILE + " (run from the repository root)", e);
    }
  }
}
