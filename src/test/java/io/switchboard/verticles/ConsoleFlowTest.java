package io.switchboard.verticles;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.reorder.ReleaseCause;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The console's {@code /console/api/flow}, fed by the meters the pipeline really registers (through their own
 * classes, so that a renamed meter fails here). The registry is the process-wide one other tests count into too,
 * so counters are checked as differences and the target has a name no other test uses.
 */
class ConsoleFlowTest {

  private static final String TARGET = "console-flow-test";

  @Test
  void verifiesThatTheFlowReportsTheCountersAndGaugesOfEachStageAndTarget() {
    MeterRegistry registry = PipelineMetrics.registry();
    JsonObject before = ConsoleEndpoints.flow(registry, List.of(TARGET), 1);
    TargetMeters meters = new TargetMeters(TARGET);
    meters.delivered(12);
    meters.delivered(15);
    meters.retried();
    meters.deadLettered();
    PipelineMetrics.ingested("http", "accepted");
    PipelineMetrics.ingested("http", "accepted");
    PipelineMetrics.ingested("http", "duplicate");
    PipelineMetrics.deadLettered("dispatch", "delivery_rejected");
    PipelineMetrics.gauge("switchboard.target.queue.depth", "test", "instance", TARGET + "#0", () -> 7);
    PipelineMetrics.gauge("switchboard.target.queue.depth", "test", "instance", TARGET + "#1", () -> 3);
    PipelineMetrics.gauge("switchboard.target.overflow", "test", "instance", TARGET + "#0", () -> 2);
    ReorderMeters reorder = new ReorderMeters(97);
    reorder.released(ReleaseCause.BOUND, 40);
    reorder.late("late_flagged", "console-test-source", 30);
    reorder.bound("console-test-source", 250);

    JsonObject after = ConsoleEndpoints.flow(registry, List.of(TARGET), 2);

    assertEquals(2, after.getLong("at"));
    JsonObject target = after.getJsonObject("targets").getJsonObject(TARGET);
    JsonObject was = before.getJsonObject("targets").getJsonObject(TARGET);
    assertEquals(List.of(2L, 1L, 1L, 10L, 2L), List.of(
        target.getLong("delivered") - was.getLong("delivered"),
        target.getLong("retried") - was.getLong("retried"),
        target.getLong("deadLettered") - was.getLong("deadLettered"),
        target.getLong("queued"),
        target.getLong("parked")));
    assertEquals(3, grew(before, after, "stages", "ingested"));
    assertEquals(2, grew(before, after, "stages", "accepted"));
    assertEquals(1, grew(before, after, "stages", "released"), "a late event is not counted as released");
    assertEquals(1, grew(before, after, "stages", "deadLettered"));
    assertEquals(1, grew(before, after, "reorder", "lateFlagged"));
    assertEquals(250, after.getJsonObject("reorder").getJsonObject("latenessBoundMs").getLong("console-test-source"));
    assertEquals(2, after.getJsonObject("ingested").getJsonObject("http").getLong("accepted")
        - before.getJsonObject("ingested").getJsonObject("http", new JsonObject()).getLong("accepted", 0L));
  }

  @Test
  void verifiesThatAConfiguredTargetWithoutMetersYetIsListedWithZeros() {
    JsonObject flow = ConsoleEndpoints.flow(PipelineMetrics.registry(), List.of("console-never-used"), 0);
    assertEquals(new JsonObject().put("delivered", 0L).put("retried", 0L).put("deadLettered", 0L).put("filtered", 0L)
        .put("queued", 0L).put("inFlight", 0L).put("parked", 0L),
        flow.getJsonObject("targets").getJsonObject("console-never-used"));
  }

  private static long grew(JsonObject before, JsonObject after, String group, String key) {
    return after.getJsonObject(group).getLong(key) - before.getJsonObject(group).getLong(key);
  }
}
