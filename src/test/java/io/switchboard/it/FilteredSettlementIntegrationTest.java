package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The state stage matches every target's filter at once and sends an event only to the targets that take it. Its
 * source must still see it settled: once by the targets that took it, or at once when none did.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FilteredSettlementIntegrationTest {

  @TempDir
  Path dir;
  private Vertx vertx;

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private static JsonObject fileTarget(String id, Path path, String filter) {
    return new JsonObject().put("id", id).put("type", "file").put("path", path.toString()).put("flushMs", 5)
        .put("filter", new JsonObject(filter));
  }

  @Test
  void verifiesThatEventsTakenBySomeOrNoTargetsAllSettleAndReachOnlyTheTargetsThatTookThem(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    JsonObject config = TestServer.config(dir);
    // acd events go to "acd" only, customer events to "customers" only, every other voice event to neither.
    config.put("targets", new JsonArray()
        .add(fileTarget("acd", dir.resolve("out/acd.jsonl"),
            "{\"detail\": {\"topicName\": [{\"suffix\": \".acd.start\"}, {\"suffix\": \".acd.end\"}]}}"))
        .add(fileTarget("customers", dir.resolve("out/customers.jsonl"),
            "{\"switchboard\": {\"eventType\": [\"customer.start\", \"customer.end\"]}}")));
    TestServer.start(vertx, dir, config)
        .compose(server -> server.postSamples(Samples.VOICE)
            .compose(v -> Eventually.poll(vertx, 20_000, () -> server.inFlight().map(n -> n == 0)))
            .recover(e -> server.inFlight().compose(n -> Future.failedFuture(
                new AssertionError(n + " events still unsettled: a filtered target's part was never reported"))))
            .map(v -> server))
        .onComplete(ctx.succeeding(server -> ctx.verify(() -> {
          List<String> acd = server.deliveredTo("out/acd.jsonl").stream().map(l -> l.getString("eventType")).toList();
          List<String> customers = server.deliveredTo("out/customers.jsonl").stream()
              .map(l -> l.getString("eventType")).toList();
          assertEquals(List.of("acd.start", "acd.end"), acd);
          assertEquals(List.of("customer.start", "customer.end"), customers);
          assertEquals(List.of(), server.deadLetters());
          ctx.completeNow();
        })));
  }
}
