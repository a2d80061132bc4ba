package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

/**
 * Switchboard against the {@link BareForwarder} on the same load: both full results, a summary of each and
 * {@code ratio}, Switchboard's delivered events/s over the forwarder's.
 *
 * <p>Delivered events/s of a run is that of its slower target (an event counts once every target has it), each
 * target's being the expected events it received ({@code events - lost}) over the time from the start of sending to
 * its last delivery. Expected events rather than requests, because the forwarder has no dedup and also delivers the
 * generator's duplicates and re-publications; counting them would credit it with work Switchboard rightly refuses.
 */
final class Comparison {

  private Comparison() {
  }

  static JsonObject of(JsonObject switchboard, JsonObject forwarder) {
    JsonObject mine = summary(switchboard);
    JsonObject ceiling = summary(forwarder);
    return new JsonObject()
        .put("scenario", "compare")
        .put("seed", switchboard.getValue("seed"))
        .put("conversations", switchboard.getValue("conversations"))
        .put("events", switchboard.getValue("events"))
        .put("concurrency", switchboard.getValue("concurrency"))
        .put("rate", switchboard.getValue("rate"))
        .put("ratio", ratio(mine.getDouble("deliveredPerSec"), ceiling.getDouble("deliveredPerSec")))
        .put("acceptedRatio", ratio(mine.getDouble("acceptedPerSec"), ceiling.getDouble("acceptedPerSec")))
        .put("summary", new JsonObject().put("switchboard", mine).put("forwarder", ceiling))
        .put("switchboard", switchboard)
        .put("forwarder", forwarder);
  }

  /** The figures to compare, taken from one run's result line. */
  static JsonObject summary(JsonObject result) {
    long events = result.getLong("events");
    JsonObject targets = result.getJsonObject("targets");
    JsonObject perTarget = new JsonObject();
    JsonObject p99 = new JsonObject();
    double slowest = Double.MAX_VALUE;
    for (String target : targets.fieldNames()) {
      JsonObject verdict = targets.getJsonObject(target);
      double seconds = verdict.getDouble("lastDeliveryS");
      double rate = seconds <= 0 ? 0 : Rates.oneDecimal((events - verdict.getLong("lost")) / seconds);
      perTarget.put(target, rate);
      slowest = Math.min(slowest, rate);
      p99.put(target, verdict.getJsonObject("sentToDeliveredMs").getValue("p99"));
    }
    JsonObject cpu = result.getJsonObject("cpu");
    double serverCpuSeconds = cpu.getDouble("serverCpuSeconds");
    return new JsonObject()
        .put("acceptedPerSec", result.getDouble("acceptedPerSec"))
        .put("deliveredPerSec", targets.isEmpty() ? 0 : slowest)
        .put("deliveredPerSecByTarget", perTarget)
        .put("sentToDeliveredP99Ms", p99)
        .put("httpP99Ms", result.getJsonObject("httpMs").getValue("p99"))
        .put("serverCores", cpu.getValue("sendServerCores"))
        .put("serverCpuMsPerEvent", events == 0 ? null : Math.round(serverCpuSeconds * 100_000 / events) / 100.0)
        .put("serverPeakRssMb", result.getJsonObject("memory").getValue("serverPeakRssMb"))
        .put("gcPauseTotalMs", result.getJsonObject("gc").getValue("pauseTotalMs"));
  }

  private static Double ratio(double mine, double ceiling) {
    return ceiling <= 0 ? null : Math.round(mine / ceiling * 1000) / 1000.0;
  }
}
