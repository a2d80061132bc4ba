package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Predicate;

/**
 * What an outage of one target did: how much piled up for it (503s answered, retries, peak parked and queued),
 * how it caught up once back, and whether the healthy target noticed: each target's sent→delivered latency for
 * the events sent before, during and after the outage (the "during" events of the target that was down are its
 * backlog).
 */
final class OutageReport {

  /** The timeline in the report keeps one sample per this many milliseconds. */
  private static final long TIMELINE_STEP_MILLIS = 5_000;

  private OutageReport() {
  }

  /**
   * @param window  the sink's down window {@code {"target","mode","from","to"}} (epoch ms)
   * @param down    the target that was down
   * @param healthy the other one
   * @param samples periodic samples, oldest first
   * @param finalMetrics the last scrape, taken once deliveries stopped
   * @param warmupMillis sends this early are left out of the latency windows: the server's JIT is still busy then
   * @param unheld       envelope ids of events reorder does not hold (all but abandoned calls', which wait out the
   *                     reorder window by design and would set every p99 at about 2 s, hiding what the outage did)
   */
  static JsonObject of(JsonObject window, SinkTarget.Snapshot down, SinkTarget.Snapshot healthy, List<Sample> samples,
                       ServerMetrics finalMetrics, long loadStart, long warmupMillis, long scrapeMillis,
                       Predicate<String> unheld) {
    long from = window.getLong("from");
    long to = window.getLong("to") == null ? Long.MAX_VALUE : window.getLong("to");
    String d = down.target();
    String h = healthy.target();
    long parkedPeak = 0;
    long queuedPeak = 0;
    Long level = null;
    Long drained = null;
    for (Sample sample : samples) {
      parkedPeak = Math.max(parkedPeak, sample.server().overflow(d));
      queuedPeak = Math.max(queuedPeak, sample.server().queued(d));
      if (sample.at() >= to && level == null && sample.accepted(d) >= sample.accepted(h)) {
        level = sample.at() - to;
      }
      if (sample.at() >= to && drained == null && sample.server() != ServerMetrics.EMPTY
          && sample.server().overflow(d) == 0 && sample.server().queued(d) == 0) {
        drained = sample.at() - to;
      }
    }
    long backlogDelivered = down.times().lastDeliveryOfSentBefore(to);
    JsonObject out = new JsonObject()
        .put("target", d)
        .put("mode", window.getString("mode"))
        .put("fromS", seconds(from - loadStart))
        .put("forS", to == Long.MAX_VALUE ? null : seconds(to - from))
        .put("answered503", down.stats().getLong("answered503"))
        .put("retries", finalMetrics.retries(d))
        .put("parkedPeak", parkedPeak)
        .put("queuedPeak", queuedPeak)
        .put("backlogAtRecovery", to == Long.MAX_VALUE ? null
            : healthy.times().deliveredBefore(to) - down.times().deliveredBefore(to))
        // The backlog is delivered when the last event sent before recovery has arrived.
        .put("backlogDeliveredAfterMs", backlogDelivered == Long.MIN_VALUE || to == Long.MAX_VALUE ? null
            : backlogDelivered - to)
        .put("levelWithHealthyAfterMs", level)
        .put("queueAndParkEmptyAfterMs", drained)
        .put("latencyFromS", seconds(warmupMillis))
        .put("healthy", windows(healthy, loadStart + warmupMillis, from, to, unheld))
        .put("recovering", windows(down, loadStart + warmupMillis, from, to, unheld));
    return out.put("timelineColumns", new JsonArray(List.of("s", h + "Delivered", d + "Delivered", d + "Parked",
            d + "Queued", d + "Retries")))
        .put("timeline", timeline(samples, d, h, loadStart, scrapeMillis));
  }

  /** Sent→delivered ms of one target for what was sent before, during and after the outage; all events, then unheld. */
  private static JsonObject windows(SinkTarget.Snapshot target, long measureFrom, long from, long to,
                                    Predicate<String> unheld) {
    DeliveryTimes times = target.times();
    return new JsonObject().put("target", target.target())
        .put("beforeMs", times.latency(measureFrom, from))
        .put("duringMs", times.latency(from, to))
        .put("afterMs", times.latency(to, Long.MAX_VALUE))
        .put("unheld", new JsonObject()
            .put("beforeMs", times.latency(measureFrom, from, unheld))
            .put("duringMs", times.latency(from, to, unheld))
            .put("afterMs", times.latency(to, Long.MAX_VALUE, unheld)));
  }

  private static JsonArray timeline(List<Sample> samples, String d, String h, long loadStart, long scrapeMillis) {
    JsonArray rows = new JsonArray();
    long stride = Math.max(1, TIMELINE_STEP_MILLIS / scrapeMillis);
    for (int i = 0; i < samples.size(); i += (int) stride) {
      Sample s = samples.get(i);
      rows.add(new JsonArray().add(Math.round((s.at() - loadStart) / 1000.0)).add(s.accepted(h)).add(s.accepted(d))
          .add(s.server().overflow(d)).add(s.server().queued(d)).add(s.server().retries(d)));
    }
    return rows;
  }

  private static double seconds(long millis) {
    return Rates.seconds(millis * 1_000_000);
  }
}
