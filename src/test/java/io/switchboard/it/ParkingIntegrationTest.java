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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A dead target's overflow is parked durably, settles its sources, and is redriven in order. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class ParkingIntegrationTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private Webhook crm;
  private final AtomicBoolean crmDown = new AtomicBoolean(true);

  @BeforeEach
  void start(VertxTestContext ctx) {
    vertx = newVertx();
    Webhook.start(vertx).onComplete(ctx.succeeding(w -> {
      crm = w.script(n -> crmDown.get() ? Webhook.Reply.status(503) : Webhook.Reply.ok());
      ctx.completeNow();
    }));
  }

  private static Vertx newVertx() {
    return Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private JsonObject config() {
    JsonObject config = TestServer.config(dir);
    config.getJsonArray("targets").add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url())
        .put("queue", new JsonObject().put("capacity", 2).put("maxInFlight", 1))
        .put("retry", new JsonObject().put("initialBackoffMs", 50).put("maxBackoffMs", 100)));
    return config;
  }





  /**
   * Target {@code crm} taking one event at a time, with a 1.5 s timeout and a 1 s max event age: when {@code hook}
   * never answers, whatever waits (queued or parked) behind the first event is too old by the time it is sent.
   */
  static JsonObject agingTarget(Webhook hook) {
    return new JsonObject().put("id", "crm").put("type", "http").put("url", hook.url())
        .put("timeoutMs", 1500)
        .put("queue", new JsonObject().put("capacity", 1).put("maxInFlight", 1))
        .put("retry", new JsonObject().put("maxEventAgeSeconds", 1).put("initialBackoffMs", 50).put("maxBackoffMs", 100));
  }

  private static List<String> ids(List<String> samples) {
    return samples.stream().map(s -> Samples.json(s).getString("id")).toList();
  }

  @Test
  void verifiesThatADeadTargetsOverflowIsParkedSettledAndRedrivenInOrderOnRecovery(VertxTestContext ctx) {
    List<String> all = new ArrayList<>(Samples.VOICE);
    all.addAll(Samples.MULTI);
    TestServer[] server = new TestServer[1];
    TestServer.start(vertx, dir, config())
        .compose(s -> {
          server[0] = s;
          return s.postSamples(all);
        })
        // The audit file keeps flowing, and while crm is down every event settles (delivered to the file, parked
        // for crm) except the few crm holds in its queue: at most its capacity (2) per instance.
        .compose(v -> Eventually.poll(vertx, 20_000, () -> server[0].inFlight().map(n -> n <= 2
            && server[0].delivered().size() == 21)))
        .compose(v -> {
          ctx.verify(() -> assertTrue(crm.accepted().isEmpty(), "crm is still down"));
          crmDown.set(false);
          return Eventually.poll(vertx, 30_000, () -> Future.succeededFuture(crm.accepted().size() >= 21));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<String> got = crm.accepted().stream().map(r -> r.json().getString("id")).toList();
          assertEquals(21, got.size(), "each event once");
          assertEquals(ids(Samples.VOICE), got.stream().filter(ids(Samples.VOICE)::contains).toList(), "voice in order");
          assertEquals(ids(Samples.MULTI), got.stream().filter(ids(Samples.MULTI)::contains).toList(), "multichannel in order");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatParkedEventsOlderThanTheMaxEventAgeAreDeadLetteredNotSent(VertxTestContext ctx) {
    // The first event hangs until its 1.5 s timeout while the rest are parked behind it: by the time they are
    // redriven they are all older than the 1 s max age.
    crm.script(n -> Webhook.Reply.never());
    JsonObject config = TestServer.config(dir);
    config.getJsonArray("targets").add(agingTarget(crm));
    TestServer[] server = new TestServer[1];
    TestServer.start(vertx, dir, config)
        .compose(s -> {
          server[0] = s;
          return s.postSamples(Samples.VOICE);
        })
        .compose(v -> Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server[0].deadLetters().size() >= 10)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<JsonObject> letters = server[0].deadLetters();
          assertEquals(10, letters.size(), "every voice event dead-lettered once");
          letters.forEach(l -> {
            assertEquals("retries_exhausted", l.getString("reason"), l.encode());
            assertEquals("crm", l.getString("target"));
          });
          assertEquals(9, letters.stream().filter(l -> l.getString("error").contains("max event age exceeded while waiting"))
              .count(), "the parked events are dead-lettered without being sent: " + letters);
          assertEquals(1, crm.requests(), "only the first event ever reached the target");
          ctx.completeNow();
        })));
  }

  /** Blocks the test thread (never an event loop) on a step of the scenario. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void verifiesThatParkedEventsSurviveARestart(VertxTestContext ctx) throws Exception {
    // First process: crm is down, the voice conversation is parked (and two events sit in its queue).
    Vertx first = newVertx();
    TestServer before = await(TestServer.start(first, dir, config()));
    await(before.postSamples(Samples.VOICE));
    await(Eventually.poll(first, 20_000, () -> before.inFlight().map(n -> n <= 2)));
    // Stopped as the launcher stops it: drain (which parks what the queue still holds), then close.
    await(before.main().drain());
    await(first.close());
    assertTrue(crm.accepted().isEmpty());

    // Second process on the same directories, with crm back: everything is redriven, in order, once.
    crmDown.set(false);
    JsonObject config = TestServer.config(dir);
    config.getJsonArray("targets").add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url())
        .put("queue", new JsonObject().put("capacity", 2).put("maxInFlight", 1)));
    await(TestServer.start(vertx, dir, config));
    await(Eventually.poll(vertx, 30_000, () -> Future.succeededFuture(crm.accepted().size() >= 10)));
    List<String> got = crm.accepted().stream().map(r -> r.json().getString("id")).toList();
    assertEquals(ids(Samples.VOICE), got, "every parked or queued event redriven once, in order");
    ctx.completeNow();
  }
}
