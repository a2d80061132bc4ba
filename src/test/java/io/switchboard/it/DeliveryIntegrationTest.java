package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery to real webhooks on loopback: fan-out, filters, payload shapes, retries, dead letters, back-pressure. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class DeliveryIntegrationTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;
  private Webhook crm;
  private Webhook analytics;

  @BeforeEach
  void hooks(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    Webhook.start(vertx).compose(a -> {
      crm = a;
      return Webhook.start(vertx);
    }).onComplete(ctx.succeeding(b -> {
      analytics = b;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Two webhooks and an audit file, as in the README example; {@code tweak} adjusts the targets. */
  private Future<TestServer> boot(Consumer<JsonArray> tweak) {
    return boot(c -> { }, tweak);
  }

  private Future<TestServer> boot(Consumer<JsonObject> configTweak, Consumer<JsonArray> tweak) {
    JsonObject config = TestServer.config(dir);
    configTweak.accept(config);
    JsonArray targets = new JsonArray()
        .add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url())
            .put("filter", new JsonObject().put("conversation", new JsonObject().put("channels", new JsonArray().add("voice"))))
            .put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 200)))
        .add(new JsonObject().put("id", "analytics").put("type", "http").put("url", analytics.url())
            .put("payload", new JsonObject().put("shape", "enriched"))
            .put("filter", new JsonObject().put("patterns", new JsonObject()
                .put("queue-legs", new JsonObject().put("detail-type", new JsonArray().add(new JsonObject().put("suffix", ".acd.start")).add(new JsonObject().put("suffix", ".acd.end"))))
                .put("closing", new JsonObject().put("conversation", new JsonObject().put("state", new JsonArray().add("closed"))))))
            .put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 200)))
        .add(new JsonObject().put("id", "audit").put("type", "file").put("path", dir.resolve("audit.jsonl").toString())
            .put("flushMs", 5));
    tweak.accept(targets);
    config.put("targets", targets);
    return TestServer.start(vertx, dir, config).onSuccess(s -> server = s);
  }

  private static JsonObject target(JsonArray targets, String id) {
    for (int i = 0; i < targets.size(); i++) {
      if (id.equals(targets.getJsonObject(i).getString("id"))) {
        return targets.getJsonObject(i);
      }
    }
    throw new IllegalArgumentException(id);
  }



  private Future<Void> until(long timeoutMs, java.util.function.BooleanSupplier condition) {
    return Eventually.poll(vertx, timeoutMs, () -> Future.succeededFuture(condition.getAsBoolean()))
        .recover(e -> Future.failedFuture(new AssertionError("timed out; crm " + crm.accepted().size() + "/"
            + crm.requests() + ", analytics " + analytics.accepted().size() + "/" + analytics.requests() + ", audit "
            + server.deliveredTo("audit.jsonl").size() + ", dead letters " + server.deadLetters())));
  }

  /** Waits until every admitted event is settled (or 5 s pass; the caller asserts on the count). */
  private Future<Void> settled() {
    return Eventually.poll(vertx, 5_000, () -> server.inFlight().map(n -> n == 0)).otherwise(x -> null);
  }



  private static List<String> ids(List<String> samples) {
    return samples.stream().map(s -> Samples.json(s).getString("id")).toList();
  }

  @Test
  void verifiesThatEachTargetGetsExactlyTheEventsItsFilterSelectsInOrderAndInItsShape(VertxTestContext ctx) {
    List<String> all = new ArrayList<>(Samples.VOICE);
    all.addAll(Samples.MULTI);
    boot(t -> { })
        .compose(s -> server.postSamples(all))
        .compose(v -> until(20_000, () -> crm.accepted().size() >= 10 && analytics.accepted().size() >= 6
            && server.deliveredTo("audit.jsonl").size() >= 21))
        .compose(v -> until(2_000, () -> false).otherwise(x -> null)) // nothing more may arrive
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          // crm: events of voice conversations only (the snapshot's channels), original envelope verbatim, key header
          assertEquals(ids(Samples.VOICE), crm.accepted().stream().map(r -> r.json().getString("id")).toList());
          Webhook.Received first = crm.accepted().get(0);
          assertEquals(Samples.json("eb-voice-01-customer-start.json"), first.json());
          assertNotNull(first.header("X-Event-Id"));
          assertEquals(32, first.header("X-Event-Id").length());
          // analytics: acd legs of both conversations plus each closing event, enriched, with the matched pattern
          List<Webhook.Received> got = analytics.accepted();
          // Order holds per conversation; the two conversations' events may interleave.
          assertEquals(List.of("queue-legs", "queue-legs", "closing"), got.stream()
              .filter(r -> ids(Samples.VOICE).contains(r.json().getJsonObject("event").getString("id")))
              .map(r -> r.json().getString("matchedFilter")).toList());
          assertEquals(List.of("queue-legs", "queue-legs", "queue-legs", "queue-legs", "closing"), got.stream()
              .filter(r -> ids(Samples.MULTI).contains(r.json().getJsonObject("event").getString("id")))
              .map(r -> r.json().getString("matchedFilter")).toList());
          assertEquals(8, got.size());
          Webhook.Received firstVoice = got.stream()
              .filter(r -> ids(Samples.VOICE).contains(r.json().getJsonObject("event").getString("id"))).findFirst().orElseThrow();
          JsonObject wrapper = firstVoice.json();
          assertEquals(Samples.json("eb-voice-04-acd-start.json"), wrapper.getJsonObject("event"));
          assertEquals("queued", wrapper.getJsonObject("conversation").getString("state"));
          assertEquals(wrapper.getString("idempotencyKey"), firstVoice.header("X-Event-Id"));
          assertEquals(Samples.json("eb-voice-04-acd-start.json").getString("id"), wrapper.getString("traceId"));
          assertEquals("us-east-1", wrapper.getString("sourceRegion"));
          // audit: everything, each once, per conversation in eventTime order
          List<JsonObject> audit = server.deliveredTo("audit.jsonl");
          assertEquals(21, audit.size());
          Map<String, List<Long>> times = new HashMap<>();
          audit.forEach(l -> times.computeIfAbsent(l.getString("conversationId"), k -> new ArrayList<>()).add(l.getLong("eventTime")));
          times.values().forEach(t -> assertEquals(t.stream().sorted().toList(), t));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatATargetFailingWith503ForAWhileLosesNothingKeepsOrderAndDoesNotDelayTheOthers(VertxTestContext ctx) {
    crm.script(n -> n <= 6 ? Webhook.Reply.status(503) : Webhook.Reply.ok());
    long[] auditDoneAt = new long[1];
    boot(t -> target(t, "crm").put("retry", new JsonObject().put("initialBackoffMs", 200).put("maxBackoffMs", 400)))
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> until(10_000, () -> server.deliveredTo("audit.jsonl").size() >= 10))
        .compose(v -> {
          auditDoneAt[0] = System.currentTimeMillis();
          return server.inFlight();
        })
        .compose(inFlight -> {
          ctx.verify(() -> {
            assertTrue(crm.accepted().size() < 10, "the audit file finished while crm was still failing");
            assertTrue(inFlight > 0, "not settled while crm has not delivered");
          });
          return until(20_000, () -> crm.accepted().size() >= 10);
        })
        .compose(v -> settled())
        .compose(v -> server.inFlight())
        .onComplete(ctx.succeeding(inFlight -> ctx.verify(() -> {
          assertEquals(ids(Samples.VOICE), crm.accepted().stream().map(r -> r.json().getString("id")).toList(),
              "every event once, in order, after the outage");
          assertEquals(0, inFlight, "settled once every matching target delivered");
          // A retried event is never overtaken: attempts reach the webhook strictly in event order.
          List<String> attemptOrder = crm.attempts().stream().map(r -> r.json().getString("id")).distinct().toList();
          assertEquals(ids(Samples.VOICE), attemptOrder);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatRetryAfterIsObeyedButCapped(VertxTestContext ctx) {
    crm.script(n -> n == 1 ? Webhook.Reply.retryAfter(429, "1") : n == 2 ? Webhook.Reply.retryAfter(429, "3600")
        : Webhook.Reply.ok());
    boot(t -> target(t, "crm").put("retry", new JsonObject().put("initialBackoffMs", 5).put("maxBackoffMs", 10)
        .put("retryAfterCapSeconds", 2)))
        .compose(s -> server.postSamples(List.of("eb-voice-01-customer-start.json")))
        .compose(v -> until(15_000, () -> crm.accepted().size() == 1))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<Webhook.Received> attempts = crm.attempts();
          assertEquals(3, attempts.size());
          long firstGap = attempts.get(1).at() - attempts.get(0).at();
          long secondGap = attempts.get(2).at() - attempts.get(1).at();
          assertTrue(firstGap >= 950, "Retry-After: 1 obeyed, waited " + firstGap);
          assertTrue(secondGap >= 1_900 && secondGap < 3_000, "Retry-After: 3600 capped at 2 s, waited " + secondGap);
          assertEquals("3", attempts.get(2).header("X-Switchboard-Attempt"));
          assertEquals(attempts.get(0).header("X-Event-Id"), attempts.get(2).header("X-Event-Id"), "same key on every retry");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAPermanent400IsDeadLetteredAtOnceWithTheReason(VertxTestContext ctx) {
    crm.script(n -> Webhook.Reply.status(400));
    boot(t -> { })
        .compose(s -> server.postSamples(List.of("eb-voice-01-customer-start.json")))
        .compose(v -> until(10_000, () -> server.deadLetters().size() == 1))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject letter = server.deadLetters().get(0);
          assertEquals("delivery_rejected", letter.getString("reason"));
          assertEquals("dispatch", letter.getString("stage"));
          assertEquals("crm", letter.getString("target"));
          assertEquals(1, letter.getInteger("attempts"));
          assertTrue(letter.getString("error").contains("400"), letter.getString("error"));
          assertEquals(Samples.json("eb-voice-01-customer-start.json"), letter.getJsonObject("payload"));
          assertEquals(1, crm.requests(), "not retried");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatATargetThatNeverAnswersEndsInTheDeadLettersWhenAttemptsRunOut(VertxTestContext ctx) {
    crm.script(n -> Webhook.Reply.never());
    boot(t -> target(t, "crm").put("timeoutMs", 300)
        .put("retry", new JsonObject().put("maxAttempts", 3).put("initialBackoffMs", 10).put("maxBackoffMs", 20)))
        .compose(s -> server.postSamples(List.of("eb-voice-01-customer-start.json")))
        .compose(v -> until(20_000, () -> server.deadLetters().size() == 1))
        .compose(v -> settled())
        .compose(v -> server.inFlight())
        .onComplete(ctx.succeeding(inFlight -> ctx.verify(() -> {
          JsonObject letter = server.deadLetters().get(0);
          assertEquals("retries_exhausted", letter.getString("reason"));
          assertEquals(3, letter.getInteger("attempts"));
          assertTrue(letter.getString("error").contains("timeout"), letter.getString("error"));
          assertEquals(3, crm.requests());
          assertEquals(0, inFlight, "a dead letter settles the event");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAFullQueueWithoutParkingPushesBackWith429AndDropsNothing(VertxTestContext ctx) {
    crm.script(n -> n <= 3 ? Webhook.Reply.status(503) : Webhook.Reply.ok());
    boot(c -> c.getJsonObject("http").put("maxInFlight", 3), t -> {
      JsonObject only = target(t, "crm").put("queue", new JsonObject().put("capacity", 1).put("maxInFlight", 1))
          .put("park", new JsonObject().put("maxBytes", 0))
          .put("filter", new JsonObject())
          .put("retry", new JsonObject().put("initialBackoffMs", 300).put("maxBackoffMs", 300));
      t.clear().add(only);
    }).compose(v -> postUntil429(Samples.VOICE, 0, new ArrayList<>()))
        .compose(accepted -> until(20_000, () -> crm.accepted().size() >= accepted.size()).map(x -> accepted))
        .onComplete(ctx.succeeding(accepted -> ctx.verify(() -> {
          assertEquals(ids(accepted), crm.accepted().stream().map(r -> r.json().getString("id")).toList(),
              "everything acknowledged was delivered, in order");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatDeadLettersCanBeListedAndReplayedToARecoveredTarget(VertxTestContext ctx) {
    crm.script(n -> n == 1 ? Webhook.Reply.status(400) : Webhook.Reply.ok());
    String[] id = new String[1];
    boot(t -> { })
        .compose(s -> server.postSamples(List.of("eb-voice-01-customer-start.json")))
        .compose(v -> until(10_000, () -> server.deadLetters().size() == 1))
        .compose(v -> server.get("/dlq?target=crm&reason=delivery_rejected"))
        .compose(r -> {
          JsonArray entries = r.bodyAsJsonObject().getJsonArray("entries");
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            assertEquals(1, entries.size(), r.bodyAsString());
            assertEquals(false, entries.getJsonObject(0).getBoolean("replayed"));
          });
          id[0] = entries.getJsonObject(0).getString("id");
          return server.client().post(server.port(), "127.0.0.1", "/dlq/replay")
              .sendJsonObject(new JsonObject().put("ids", new JsonArray().add(id[0]).add("no-such-id")).put("to", "crm"));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(202, r.statusCode(), r.bodyAsString());
            assertEquals(new JsonArray().add(id[0]), r.bodyAsJsonObject().getJsonArray("accepted"));
            assertEquals("no-such-id", r.bodyAsJsonObject().getJsonArray("rejected").getJsonObject(0).getString("id"));
          });
          return until(10_000, () -> crm.accepted().size() == 1);
        })
        .compose(v -> Eventually.poll(vertx, 10_000, () -> server.get("/dlq?replayed=true")
            .map(r -> r.bodyAsJsonObject().getJsonArray("entries").size() == 1)))
        .compose(v -> server.get("/dlq/" + id[0]))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject entry = r.bodyAsJsonObject();
          assertEquals(true, entry.getBoolean("replayed"), entry.encode());
          assertEquals(Samples.json("eb-voice-01-customer-start.json"), crm.accepted().get(0).json());
          List<Webhook.Received> attempts = crm.attempts();
          assertEquals(attempts.get(0).header("X-Event-Id"), attempts.get(1).header("X-Event-Id"),
              "a replay carries the same idempotency key");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatBadDlqRequestsAreRefusedWithAReason(VertxTestContext ctx) {
    boot(t -> { })
        .compose(s -> server.get("/dlq?limit=5000"))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(400, r.statusCode());
            assertTrue(r.bodyAsJsonObject().getString("error").contains("limit"), r.bodyAsString());
          });
          return server.client().post(server.port(), "127.0.0.1", "/dlq/replay")
              .sendJsonObject(new JsonObject().put("ids", new JsonArray().add("x")).put("to", "nowhere"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(400, r.statusCode());
          assertTrue(r.bodyAsJsonObject().getString("error").contains("nowhere"), r.bodyAsString());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatReadyReportsATargetThatKeepsFailing(VertxTestContext ctx) {
    crm.script(n -> Webhook.Reply.status(503));
    boot(t -> target(t, "crm").put("failingAfterSeconds", 1))
        .compose(s -> server.postSamples(List.of("eb-voice-01-customer-start.json")))
        .compose(v -> Eventually.poll(vertx, 15_000, () -> server.get("/ready")
            .map(r -> "DEGRADED".equals(r.bodyAsJsonObject().getString("status")))))
        .compose(v -> server.get("/ready"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject body = r.bodyAsJsonObject();
          JsonObject crmStatus = body.getJsonArray("targets").stream().map(o -> (JsonObject) o)
              .filter(o -> "crm".equals(o.getString("target"))).findFirst().orElseThrow();
          assertEquals("FAILING", crmStatus.getString("status"), body.encode());
          assertTrue(crmStatus.getString("lastError").contains("503"), body.encode());
          ctx.completeNow();
        })));
  }

  /** Posts samples until ingest answers 429 (asserting Retry-After); returns those accepted before. */
  private Future<List<String>> postUntil429(List<String> samples, int i, List<String> accepted) {
    if (i >= samples.size()) {
      return Future.failedFuture(new AssertionError("never pushed back; accepted " + accepted.size()));
    }
    return server.post(Samples.bytes(samples.get(i))).compose(r -> {
      if (r.statusCode() == 429) {
        assertNotNull(r.getHeader("Retry-After"));
        return Future.succeededFuture(accepted);
      }
      assertEquals(202, r.statusCode(), r.bodyAsString());
      accepted.add(samples.get(i));
      return postUntil429(samples, i + 1, accepted);
    });
  }

}
