package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.TreeMap;

/**
 * The few Switchboard meters the delivery benchmark reads from one {@code GET /metrics} scrape, summed per
 * target (gauges are per dispatcher instance, tagged {@code instance="<target>#<n>"}).
 *
 * @param delivered   {@code switchboard_delivered_total}
 * @param retries     {@code switchboard_target_retries_total}: attempts that failed and will be retried
 * @param overflow    {@code switchboard_target_overflow}: events parked right now (a gauge, not a total)
 * @param queued      {@code switchboard_target_queue_depth}: events in the in-memory queue right now
 * @param lateFlagged {@code switchboard_reorder_released_total{how="late_flagged"}}
 * @param saturated   {@code switchboard_events_ingested_total{outcome="saturated"}}: items ingest pushed back
 */
record ServerMetrics(Map<String, Long> delivered, Map<String, Long> retries, Map<String, Long> overflow,
                     Map<String, Long> queued, long lateFlagged, long saturated) {

  /** Parses Prometheus text exposition; lines it does not need are skipped. */
  static ServerMetrics parse(String text) {
    Map<String, Long> delivered = new TreeMap<>();
    Map<String, Long> retries = new TreeMap<>();
    Map<String, Long> overflow = new TreeMap<>();
    Map<String, Long> queued = new TreeMap<>();
    long late = 0;
    long saturated = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith("switchboard_")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      int brace = line.indexOf('{');
      String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
      long value = Math.round(Double.parseDouble(line.substring(space + 1)));
      switch (name) {
        case "switchboard_delivered_total" -> delivered.merge(label(line, "target"), value, Long::sum);
        case "switchboard_target_retries_total" -> retries.merge(label(line, "target"), value, Long::sum);
        case "switchboard_target_overflow" -> overflow.merge(targetOf(label(line, "instance")), value, Long::sum);
        case "switchboard_target_queue_depth" -> queued.merge(targetOf(label(line, "instance")), value, Long::sum);
        case "switchboard_reorder_released_total" -> late += "late_flagged".equals(label(line, "how")) ? value : 0;
        case "switchboard_events_ingested_total" -> saturated += "saturated".equals(label(line, "outcome")) ? value : 0;
        default -> { }
      }
    }
    return new ServerMetrics(delivered, retries, overflow, queued, late, saturated);
  }

  /** Stands for a scrape that failed. */
  static final ServerMetrics EMPTY = new ServerMetrics(Map.of(), Map.of(), Map.of(), Map.of(), 0, 0);

  long delivered(String target) {
    return delivered.getOrDefault(target, 0L);
  }

  long retries(String target) {
    return retries.getOrDefault(target, 0L);
  }

  long overflow(String target) {
    return overflow.getOrDefault(target, 0L);
  }

  long queued(String target) {
    return queued.getOrDefault(target, 0L);
  }

  JsonObject toJson() {
    return new JsonObject().put("delivered", new JsonObject(new TreeMap<String, Object>(delivered)))
        .put("retries", new JsonObject(new TreeMap<String, Object>(retries))).put("lateFlagged", lateFlagged)
        .put("saturated", saturated);
  }

  /** {@code label="value"} from a sample line; "" when absent. Switchboard's label values never hold quotes. */
  private static String label(String line, String key) {
    String marker = key + "=\"";
    int at = line.indexOf(marker);
    if (at < 0) {
      return "";
    }
    int from = at + marker.length();
    return line.substring(from, line.indexOf('"', from));
  }

  private static String targetOf(String instance) {
    int hash = instance.indexOf('#');
    return hash < 0 ? instance : instance.substring(0, hash);
  }
}
