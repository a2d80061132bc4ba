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
    return Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server.delivered().size() >= expected));
  }

  @Test
  void verifiesThatShuffledConversationsWithDuplicatesComeOutOncePerEventInEventTimeOrder(VertxTestContext ctx) {
    List<Buffer> bodies = new ArrayList<>();
    for (String name : Samples.all()) {
      bodies.add(Samples.bytes(name));
    }
    // A redelivery (same envelope id), and two producer re-publishes (same content, new ids).
    bodies.add(Samples.bytes("edge-duplicate-redelivery-acd-end.json"));
    bodies.add(Samples.republished("eb-voice-06-user-start.json"));
    bodies.add(Samples.republished("eb-multi-07-callback-acd-end.json"));
    Collections.shuffle(bodies, new Random(20261122));

    postAll(bodies)
        .compose(responses -> {
          ctx.verify(() -> {
            int accepted = 0;
            int duplicates = 0;
            for (HttpResponse<Buffer> r : responses) {
              assertEquals(202, r.statusCode(), r.bodyAsString());
              accepted += r.bodyAsJsonObject().getInteger("accepted");
              duplicates += r.bodyAsJsonObject().getInteger("duplicates");
            }
            assertEquals(21, accepted);
            assertEquals(3, duplicates);
          });
          return deliveredCount(21);
        })
        .compose(v -> Eventually.poll(vertx, 5_000, () -> Future.succeededFuture(true)))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<JsonObject> lines = server.delivered();
          assertEquals(21, lines.size(), "each event exactly once");
          assertEquals(21, lines.stream().map(l -> l.getString("eventId")).distinct().count());
          Map<String, List<JsonObject>> byConversation = new HashMap<>();
          lines.forEach(l -> byConversation.computeIfAbsent(l.getString("conversationId"), k -> new ArrayList<>()).add(l));
          assertEquals(10, byConversation.get(Samples.VOICE_ID).size());
          assertEquals(11, byConversation.get(Samples.MULTI_ID).size());
          byConversation.forEach((id, events) -> {
            for (int i = 1; i < events.size(); i++) {
              assertTrue(events.get(i - 1).getLong("eventTime") <= events.get(i).getLong("eventTime"),
                  "conversation " + id + " out of order at " + i);
            }
            events.forEach(e -> assertEquals(false, e.getBoolean("late"), "no event should be late: " + e.getString("eventType")));
          });
          List<String> voiceStates = byConversation.get(Samples.VOICE_ID).stream().map(l -> l.getString("state")).toList();
          assertEquals(List.of("started", "ivr", "ivr", "queued", "ringing", "connected", "connected", "wrapping",
              "wrapping", "closed"), voiceStates);
          assertEquals("closed", byConversation.get(Samples.MULTI_ID).get(10).getString("state"));
          JsonObject first = byConversation.get(Samples.VOICE_ID).get(0);
          assertEquals(Samples.json("eb-voice-01-customer-start.json"), first.getJsonObject("event"),
              "the original envelope is carried verbatim");
          assertEquals(Samples.VOICE_ID, first.getJsonObject("conversation").getString("conversationId"));
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
