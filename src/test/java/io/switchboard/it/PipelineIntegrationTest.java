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
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Boots the real server in-process and drives whole sample conversations through HTTP ingest. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class PipelineIntegrationTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;

  @BeforeEach
  void start(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    TestServer.start(vertx, dir, TestServer.config(dir)).onComplete(ctx.succeeding(s -> {
      server = s;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  /** Posts bodies one after another, as an API destination does, collecting the responses. */
  private Future<List<HttpResponse<Buffer>>> postAll(List<Buffer> bodies) {
    List<HttpResponse<Buffer>> responses = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Buffer body : bodies) {
      chain = chain.compose(v -> server.post(body).map(r -> {
        responses.add(r);
        return null;
      }));
    }
    return chain.map(v -> responses);
  }

  private Future<Void> deliveredCount(int expected) {
    return Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server.delivered().size() >= expected))
        .recover(e -> Future.failedFuture(new AssertionError("expected " + expected + " delivered, got "
            + server.delivered().stream().map(l -> l.getString("eventType") + "@" + l.getString("state")).toList()
            + "; dead letters: " + server.deadLetters().stream().map(d -> d.getString("reason") + ": " + d.getString("error")).toList())));
  }

  /** Sample conversations interleaved, with the swaps real delivery produces, a redelivery and re-publishes. */
  private static List<Buffer> realisticArrivals() {
    List<String> order = List.of(
        "eb-voice-02-flow-start.json", "eb-voice-01-customer-start.json",        // flow.start overtakes customer.start
        "eb-multi-01-message-customer-start.json", "eb-multi-02-message-acd-start.json",
        "eb-voice-04-acd-start.json", "eb-voice-03-flow-end.json",               // acd.start overtakes flow.end
        "eb-multi-04-message-user-start.json", "eb-multi-03-message-acd-end.json", // user.start overtakes acd.end
        "eb-voice-06-user-start.json", "eb-voice-05-acd-end.json",
        "eb-voice-07-attributes.json", "eb-multi-05-message-user-end.json",
        "eb-multi-06-callback-acd-start.json", "eb-voice-08-customer-end.json", "eb-voice-09-user-end.json",
        "eb-multi-08-callback-user-start.json", "eb-multi-07-callback-acd-end.json", // as published (README)
        "eb-voice-10-acw.json", "eb-multi-09-callback-user-end.json", "eb-multi-10-callback-acw.json",
        "eb-multi-11-message-customer-end.json");
    List<Buffer> bodies = new ArrayList<>(order.stream().map(Samples::bytes).toList());
    // A redelivery (same envelope id) and two producer re-publishes (same content, new ids).
    bodies.add(7, Samples.bytes("edge-duplicate-redelivery-acd-end.json"));
    bodies.add(12, Samples.republished("eb-voice-06-user-start.json"));
    bodies.add(Samples.republished("eb-multi-07-callback-acd-end.json"));
    return bodies;
  }

  private void assertAdmitted(List<HttpResponse<Buffer>> responses, int accepted, int duplicates) {
    int a = 0;
    int d = 0;
    for (HttpResponse<Buffer> r : responses) {
      assertEquals(202, r.statusCode(), r.bodyAsString());
      a += r.bodyAsJsonObject().getInteger("accepted");
      d += r.bodyAsJsonObject().getInteger("duplicates");
    }
    assertEquals(accepted, a, "accepted");
    assertEquals(duplicates, d, "duplicates");
  }

  private static Map<String, List<JsonObject>> byConversation(List<JsonObject> lines) {
    Map<String, List<JsonObject>> byConversation = new HashMap<>();
    lines.forEach(l -> byConversation.computeIfAbsent(l.getString("conversationId"), k -> new ArrayList<>()).add(l));
    return byConversation;
  }

  @Test
  void verifiesThatConversationsArrivingOutOfOrderWithDuplicatesComeOutOncePerEventInEventTimeOrder(VertxTestContext ctx) {
    postAll(realisticArrivals())
        .compose(responses -> {
          ctx.verify(() -> assertAdmitted(responses, 21, 3));
          return deliveredCount(21);
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<JsonObject> lines = server.delivered();
          assertEquals(21, lines.size(), "each event exactly once");
          assertEquals(21, lines.stream().map(l -> l.getString("eventId")).distinct().count());
          Map<String, List<JsonObject>> conversations = byConversation(lines);
          List<String> voiceFiles = Samples.VOICE;
          assertEquals(voiceFiles.stream().map(f -> Samples.json(f).getString("id")).toList(),
              conversations.get(Samples.VOICE_ID).stream().map(l -> l.getString("eventId")).toList(),
              "voice in eventTime order");
          assertEquals(Samples.MULTI.stream().map(f -> Samples.json(f).getString("id")).toList(),
              conversations.get(Samples.MULTI_ID).stream().map(l -> l.getString("eventId")).toList(),
              "multichannel in eventTime order");
          lines.forEach(l -> assertEquals(false, l.getBoolean("late"), l.getString("eventType")));
          assertEquals(List.of("started", "ivr", "ivr", "queued", "ringing", "connected", "connected", "wrapping",
              "wrapping", "closed"), conversations.get(Samples.VOICE_ID).stream().map(l -> l.getString("state")).toList());
          assertEquals("closed", conversations.get(Samples.MULTI_ID).get(10).getString("state"));
          JsonObject first = conversations.get(Samples.VOICE_ID).get(0);
          assertEquals(Samples.json("eb-voice-01-customer-start.json"), first.getJsonObject("event"),
              "the original envelope is carried verbatim");
          assertEquals(Samples.VOICE_ID, first.getJsonObject("conversation").getString("id"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatFullyShuffledConversationsLoseNothingAndFlagWhatArrivedLate(VertxTestContext ctx) {
    List<Buffer> bodies = new ArrayList<>(realisticArrivals());
    Collections.shuffle(bodies, new Random(20261122));
    postAll(bodies)
        .compose(responses -> {
          ctx.verify(() -> assertAdmitted(responses, 21, 3));
          // Everything admitted is settled: delivered, or dead-lettered by the state machine with a reason.
          return Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(
              server.delivered().size() + server.deadLetters().size() >= 21));
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<JsonObject> lines = server.delivered();
          List<JsonObject> dead = server.deadLetters();
          assertEquals(21, lines.size() + dead.size(), "nothing lost");
          dead.forEach(d -> assertEquals("invalid_transition", d.getString("reason"), d.encode()));
          assertEquals(21, java.util.stream.Stream.concat(lines.stream(), dead.stream())
              .map(l -> l.getString("eventId")).distinct().count(), "nothing twice");
          byConversation(lines).forEach((id, events) -> {
            List<Long> inOrder = events.stream().filter(e -> !e.getBoolean("late")).map(e -> e.getLong("eventTime")).toList();
            assertEquals(inOrder.stream().sorted().toList(), inOrder, "non-late events of " + id + " in eventTime order");
          });
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAConversationIsQueryableWithItsLifecycleAndTimings(VertxTestContext ctx) {
    List<Buffer> bodies = Samples.VOICE.stream().map(Samples::bytes).toList();
    postAll(bodies)
        .compose(r -> deliveredCount(10))
        .compose(v -> server.get("/conversations/" + Samples.VOICE_ID))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          JsonObject c = r.bodyAsJsonObject();
          assertEquals("closed", c.getString("state"));
          assertTrue(c.getJsonArray("channels").contains("voice"), c.encode());
          assertTrue(c.getJsonObject("timings").getLong("queueWaitMs") > 46_000, c.encode());
          assertEquals(10, c.getJsonArray("lastEvents").size(), c.encode());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatReadyReportsTheLatenessBoundOfEachSourceOnceItHasEvents(VertxTestContext ctx) {
    server.get("/ready")
        .compose(before -> {
          ctx.verify(() -> {
            JsonObject reorder = before.bodyAsJsonObject().getJsonObject("reorder");
            assertEquals("ordered", reorder.getString("release"));
            assertEquals("learned", reorder.getString("lateness"));
            assertEquals(new JsonObject(), reorder.getJsonObject("latenessMs"), "no source seen yet");
          });
          return postAll(List.of(Samples.bytes("eb-voice-01-customer-start.json")));
        })
        .compose(r -> deliveredCount(1))
        .compose(v -> server.get("/ready"))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject reorder = r.bodyAsJsonObject().getJsonObject("reorder");
          assertEquals(300L, reorder.getJsonObject("latenessMs").getLong("http"),
              "a fresh node holds the initial bound (300 ms in the test config)");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAnUnknownConversationIs404(VertxTestContext ctx) {
    server.get("/conversations/does-not-exist").onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(404, r.statusCode());
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatAnArrayOfEnvelopesGetsPerItemResults(VertxTestContext ctx) {
    JsonArray array = new JsonArray().add(Samples.json("eb-voice-01-customer-start.json"))
        .add(Samples.json("eb-voice-01-customer-start.json"))
        .add(Samples.json("edge-null-event-body.json"))
        .add(Samples.json("ws-msg-heartbeat.json"));
    server.post(array.toBuffer()).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(202, r.statusCode(), r.bodyAsString());
      JsonObject summary = r.bodyAsJsonObject();
      assertEquals(1, summary.getInteger("accepted"));
      assertEquals(1, summary.getInteger("duplicates"));
      assertEquals(1, summary.getInteger("deadLettered"));
      assertEquals(1, summary.getInteger("ignored"));
      JsonArray results = summary.getJsonArray("results");
      assertEquals(List.of("accepted", "duplicate", "dead_lettered", "ignored"),
          results.stream().map(o -> ((JsonObject) o).getString("status")).toList());
      assertEquals("schema_invalid", results.getJsonObject(2).getString("reason"));
      ctx.completeNow();
    })));
  }
}
