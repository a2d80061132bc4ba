package io.switchboard.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent busy, from the first line of {@code /proc/stat}. Compared with the server's
 * and the benchmark's own CPU it shows what else ran on a shared box during a measurement.
 */
final class BoxCpu {

  /** {@code /proc/stat} counts in USER_HZ, which is 100 on every Linux architecture the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100.0;

  private BoxCpu() {
  }

  /** Busy CPU seconds since boot (user, nice, system, irq, softirq, steal); -1 when unreadable. */
  static double busySeconds() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      // cpu user nice system idle iowait irq softirq steal ...
      for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
        busy += Long.parseLong(fields[i]);
      }
      return busy / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
