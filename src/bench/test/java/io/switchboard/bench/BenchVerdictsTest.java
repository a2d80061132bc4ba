package io.switchboard.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GC log reader, the smoke verdict, the comparison ratio and the new delivery options. Run with
 * {@code mvn -o -Pbench test -Dtest=BenchVerdictsTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BenchVerdictsTest {

  @Test
  void verifiesThatOnlyStopTheWorldPausesAreSummed() {
    JsonObject gc = GcLog.pauses(List.of(
        "[0.004s][info][gc] Using G1",
        "[1.201s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.250ms",
        "[2.500s][info][gc] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 40M->9M(256M) 1.750ms",
        "[2.510s][info][gc] GC(2) Concurrent Mark Cycle",
        "[2.600s][info][gc] GC(2) Pause Remark 12M->12M(256M) 0.500ms",
        "[2.700s][info][gc] GC(2) Concurrent Mark Cycle 190.000ms"));
    assertEquals(3, gc.getLong("pauses"));
    assertEquals(5.5, gc.getDouble("pauseTotalMs"));
    assertEquals(3.3, gc.getDouble("pauseMaxMs"));
  }

  private static JsonObject target(long lost, long duplicated, long violations) {
    return target(lost, duplicated, violations, 0);
  }

  private static JsonObject target(long lost, long duplicated, long violations, long beyondBound) {
    return new JsonObject().put("lost", lost).put("duplicated", duplicated).put("unexpected", 0)
        .put("orderViolations", violations).put("violationsBeyondBound", beyondBound)
        .put("violationsWithinBound", violations - beyondBound).put("lastDeliveryS", 2.0)
        .put("sentToDeliveredMs", new JsonObject().put("p99", 40));
  }

  private static JsonObject result(boolean complete, JsonObject a, JsonObject b, double acceptedPerSec) {
    return new JsonObject().put("events", 1000).put("complete", complete).put("failed", 0).put("deadLettered", 0)
        .put("acceptedPerSec", acceptedPerSec).put("httpMs", new JsonObject().put("p99", 3.5))
        .put("targets", new JsonObject().put("a", a).put("b", b))
        .put("cpu", new JsonObject().put("serverCpuSeconds", 2.0).put("sendServerCores", 1.2))
        .put("memory", new JsonObject().put("serverPeakRssMb", 300))
        .put("gc", new JsonObject().put("pauseTotalMs", 12.0));
  }

  @Test
  void verifiesThatTheSmokeFailsOnLossDuplicationOrReorderingOnAnyTarget() {
    assertEquals(List.of(), SmokeCheck.failures(result(true, target(0, 0, 0), target(0, 0, 0), 500)));
    List<String> failures = SmokeCheck.failures(result(false, target(0, 0, 0), target(3, 1, 2), 500));
    assertEquals(4, failures.size(), failures.toString());
    assertTrue(failures.get(1).contains("never reached target b"), failures.toString());
    assertFalse(SmokeCheck.verdict(failures).getBoolean("passed"));
  }

  @Test
  void verifiesThatTheSmokeFailsOnViolationsWithinTheBoundOnly() {
    JsonObject late = result(true, target(0, 0, 3, 3), target(0, 0, 3, 3), 500)
        .put("latenessBound", new JsonObject().put("latenessMs", 20));
    assertEquals(List.of(), SmokeCheck.failures(late), "events later than the bound may come after");
    JsonObject early = result(true, target(0, 0, 3, 2), target(0, 0, 0), 500)
        .put("latenessBound", new JsonObject().put("latenessMs", 20));
    List<String> failures = SmokeCheck.failures(early);
    assertEquals(1, failures.size(), failures.toString());
    assertTrue(failures.get(0).startsWith("1 events reached target a behind"), failures.toString());
    assertTrue(failures.get(0).contains("(20 ms)"), failures.toString());
    JsonObject unknown = result(true, target(0, 0, 1), target(0, 0, 0), 500)
        .put("latenessBound", new JsonObject().putNull("latenessMs"));
    assertTrue(SmokeCheck.failures(unknown).get(0).contains("no lateness bound"));
  }

  @Test
  void verifiesThatTheBoundIsTheLargestHttpLatenessReportedAndMayBeAbsent() {
    assertEquals(23, LatenessBound.parse(new JsonObject(
        "{\"status\":\"UP\",\"reorder\":{\"latenessMs\":{\"http\":23,\"kinesis\":900}}}")));
    assertEquals(-1, LatenessBound.parse(new JsonObject("{\"status\":\"UP\"}")));
    assertEquals(-1, LatenessBound.parse(new JsonObject("{\"reorder\":{\"latenessMs\":{\"kinesis\":9}}}")));
    LatenessBound bound = new LatenessBound();
    bound.polled(null);
    assertEquals(null, bound.millis());
    bound.polled(new JsonObject("{\"reorder\":{\"latenessMs\":{\"http\":12.5}}}"));
    bound.polled(new JsonObject("{\"reorder\":{\"latenessMs\":{\"http\":8}}}"));
    bound.polled(new JsonObject("{\"status\":\"SATURATED\"}"));
    assertEquals(13L, bound.millis());
    assertEquals(new JsonObject().put("source", "http").put("latenessMs", 13L).put("polls", 4L).put("reports", 2L),
        bound.toJson());
  }

  @Test
  void verifiesThatTheDisorderFlagsParseAndDefaultToSwapsOnly() {
    GeneratorOptions plain = DeliveryOptions.parse(new String[] {"--smoke"}).generator();
    assertEquals(BurstOptions.NONE, plain.bursts());
    assertEquals(DelayOptions.NONE, plain.delays());
    assertEquals(0.02, plain.swapRatio());
    GeneratorOptions mixed = DeliveryOptions.parse(new String[] {"--swaps", "0", "--bursts", "0.05",
        "--burst-size", "6", "--burst-order", "reverse", "--delays", "0.01", "--delay-ms", "800-3000",
        "--delay-dist", "uniform"}).generator();
    assertEquals(0, mixed.swapRatio());
    assertEquals(new BurstOptions(0.05, 6, BurstOptions.Order.REVERSE), mixed.bursts());
    assertEquals(new DelayOptions(0.01, 800, 3_000, DelayOptions.Distribution.UNIFORM), mixed.delays());
    assertEquals(DelayOptions.Distribution.LOG_UNIFORM,
        LoadOptions.parse(new String[] {"--delays", "0.1", "--delay-dist", "log-uniform"}).generator().delays()
            .distribution());
    assertThrows(IllegalArgumentException.class, () -> DeliveryOptions.parse(new String[] {"--burst-size", "1"}));
    assertThrows(IllegalArgumentException.class, () -> DeliveryOptions.parse(new String[] {"--delay-ms", "900-100"}));
    assertThrows(IllegalArgumentException.class, () -> DeliveryOptions.parse(new String[] {"--burst-order", "x"}));
  }

  @Test
  void verifiesThatTheRatioComparesExpectedEventsAtTheSlowerTarget() {
    JsonObject slow = target(0, 0, 0).put("lastDeliveryS", 4.0);
    JsonObject switchboard = result(true, target(0, 0, 0), slow, 300);  // 1000 events in 4 s at b: 250/s
    JsonObject forwarder = result(true, target(0, 5, 0), target(0, 5, 0), 600); // 1000 in 2 s: 500/s
    JsonObject comparison = Comparison.of(switchboard, forwarder);
    assertEquals(0.5, comparison.getDouble("ratio"));
    assertEquals(0.5, comparison.getDouble("acceptedRatio"));
    assertEquals(250.0, comparison.getJsonObject("summary").getJsonObject("switchboard").getDouble("deliveredPerSec"));
    assertEquals(2.0, comparison.getJsonObject("summary").getJsonObject("forwarder").getDouble("serverCpuMsPerEvent"));
  }

  @Test
  void verifiesThatTheModesTakeTheirDefaultsAndRefuseWhatCannotBeMeasured() {
    DeliveryOptions smoke = DeliveryOptions.parse(new String[] {"--smoke"});
    assertTrue(smoke.smoke());
    assertEquals(200, smoke.conversations());
    assertEquals(4, smoke.concurrency());
    assertEquals("smoke", smoke.scenario());
    DeliveryOptions compare = DeliveryOptions.parse(new String[] {"--compare", "--conversations", "1000"});
    assertTrue(compare.compare());
    assertEquals(1000, compare.conversations());
    assertEquals(ServerKind.FORWARDER, DeliveryOptions.parse(new String[] {"--server", "forwarder"}).server());
    assertThrows(IllegalArgumentException.class, () -> DeliveryOptions.parse(new String[] {"--server", "nginx"}));
    assertThrows(IllegalArgumentException.class,
        () -> DeliveryOptions.parse(new String[] {"--smoke", "--server", "forwarder"}));
    assertThrows(IllegalArgumentException.class,
        () -> DeliveryOptions.parse(new String[] {"--compare", "--outage", "b:1:1"}));
  }
}
