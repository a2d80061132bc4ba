package io.switchboard.it;

import java.util.List;

/** Reads samples out of the Prometheus text that {@code GET /metrics} answers. */
public final class PrometheusText {

  private PrometheusText() {
  }

  /** The value of the first sample of meter {@code name} whose line contains every tag ({@code k="v"}), or -1. */
  public static double sample(String metrics, String name, String... tags) {
    for (String line : metrics.split("\n")) {
      if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && List.of(tags).stream().allMatch(line::contains)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }
}
