package io.switchboard.it;

import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.it.genesys.RequestLog;
import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.KafkaSourceIntegrationTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server with {@code state.enrichment} on against the Genesys emulator, the voice sample's events posted to ingest
 * under fresh conversation ids whose REST conversations the emulator holds, delivered to webhooks: summaries reach the
 * snapshots and target filters, a slow API or a 429 storm never holds a delivery beyond {@code timeoutMs}, and the
 * shared budget and Retry-After hold as the emulator measures them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EnrichmentIntegrationTest {

  private static final String SUPPORT = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  private static final String SALES = "5b1f0c2e-8a7d-4d0b-9a3e-1c2d3e4f5a6b";
  private static final String AGENT = "2a82977a-fb91-4f81-b300-33f719a7ae7a";
  private static final String SECRET_ENV = "GENESYS_TEST_SECRET";
  private static final String CONVERSATIONS = "/api/v2/conversations/";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
      .withMetrics(new MicrometerMetricsFactory()).build();
  /** When ingest accepted each posted event, by envelope id. */
  private final Map<String, Long> admitted = new HashMap<>();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void verifiesThatDeliveriesCarryTheSummaryAndATargetFilterSelectsOnIt() throws Exception {
    Rig rig = rig(new JsonObject().put("timeoutMs", 2_000), 300);
    String support = conversation(rig, SUPPORT);
    String sales = conversation(rig, SALES);
    postVoice(rig, support, 0, 10);
    postVoice(rig, sales, 0, 10);
    awaitTrue(() -> rig.all.accepted().size() == 20 && rig.support.accepted().size() >= 10, 20_000,
        () -> "delivered " + rig.all.accepted().size() + " and " + rig.support.accepted().size());

    for (Webhook.Received r : rig.all.accepted()) {
      JsonObject enrichment = r.json().getJsonObject("conversation").getJsonObject("enrichment");
      String id = r.header("X-Switchboard-Conversation-Id");
      assertTrue(enrichment != null, "every delivery, the first included, carries the summary: " + r.json().encode());
      assertEquals(new JsonArray().add(id.equals(support) ? SUPPORT : SALES), enrichment.getJsonArray("queueIds"));
      assertEquals(new JsonArray().add(AGENT), enrichment.getJsonArray("userIds"));
      assertEquals(1, enrichment.getJsonObject("participants").getJsonObject("agent").getInteger("count"));
    }
    assertInEventTimeOrder(rig.all.accepted());
    Thread.sleep(300);
    assertEquals(10, rig.support.accepted().size(), "the filter on enrichment.queueIds takes one conversation");
    assertTrue(rig.support.accepted().stream().allMatch(r -> support.equals(r.header("X-Switchboard-Conversation-Id"))));
    assertEquals(2, rig.emulator.requests().matching("GET", CONVERSATIONS).size(), "one fetch per conversation");
    assertEquals(2.0, outcome(rig, "enriched"));
    JsonObject queried = rig.server.get("/conversations/" + sales).await().bodyAsJsonObject();
    assertEquals(new JsonArray().add(SALES), queried.getJsonObject("enrichment").getJsonArray("queueIds"));
  }

  @Test
  void verifiesThatASlowApiNeverHoldsDeliveryBeyondTheTimeoutAndLaterEventsCarryTheLateSummary() throws Exception {
    Rig rig = rig(new JsonObject().put("timeoutMs", 300), 300);
    rig.emulator.delay(CONVERSATIONS, Duration.ofSeconds(3)).await();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(conversation(rig, i == 0 ? SUPPORT : SALES));
    }
    long started = System.currentTimeMillis();
    for (String id : ids) {
      postVoice(rig, id, 0, 7);
    }
    awaitTrue(() -> rig.all.accepted().size() == 21, 10_000, () -> "delivered " + rig.all.accepted().size());
    long slowest = 0;
    for (Webhook.Received r : rig.all.accepted()) {
      long took = r.at() - admitted.get(r.json().getJsonObject("event").getString("id"));
      slowest = Math.max(slowest, took);
      assertNull(r.json().getJsonObject("conversation").getValue("enrichment"), "no summary yet: " + r.json().encode());
    }
    // The reorder hold (300 ms in tests) plus the enrichment timeout (300 ms), far below the API's 3 s.
    assertTrue(slowest < 1_500, "an event took " + slowest + " ms from admission to the webhook");
    assertTrue(rig.all.accepted().get(20).at() - started < 2_500, "all delivered before any summary arrived");
    assertEquals(3.0, outcome(rig, "timeout"));

    awaitTrue(() -> rig.emulator.requests().matching("GET", CONVERSATIONS).stream().filter(e -> e.status() == 200)
        .count() == 3, 10_000, () -> "the slow fetches never finished");
    for (String id : ids) {
      postVoice(rig, id, 7, 10);
    }
    awaitTrue(() -> rig.all.accepted().size() == 30, 10_000, () -> "delivered " + rig.all.accepted().size());
    for (Webhook.Received r : rig.all.accepted().subList(21, 30)) {
      JsonObject enrichment = r.json().getJsonObject("conversation").getJsonObject("enrichment");
      assertTrue(enrichment != null, "the late summary reached the conversation: " + r.json().encode());
      assertTrue(enrichment.getJsonArray("queueIds").size() == 1);
    }
    assertInEventTimeOrder(rig.all.accepted());
    assertEquals(3, rig.emulator.requests().matching("GET", CONVERSATIONS).size(), "no refetch while one ran");
  }

  @Test
  void verifiesThatA429StormIsObeyedWithinTheBudgetAndDeliveryIsStillNotHeld() throws Exception {
    // Eight conversations retrying through a 3 s storm want about 24 requests: more than this budget allows.
    int budget = 20;
    Rig rig = rig(new JsonObject().put("timeoutMs", 300), budget);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(conversation(rig, i % 2 == 0 ? SUPPORT : SALES));
    }
    rig.emulator.tooManyRequestsStorm(CONVERSATIONS, Duration.ofSeconds(3), 1).await();
    for (String id : ids) {
      postVoice(rig, id, 0, 10);
    }
    awaitTrue(() -> rig.all.accepted().size() == 80, 15_000, () -> "delivered " + rig.all.accepted().size());
    long slowest = 0;
    for (Webhook.Received r : rig.all.accepted()) {
      slowest = Math.max(slowest, r.at() - admitted.get(r.json().getJsonObject("event").getString("id")));
    }
    assertTrue(slowest < 1_500, "an event took " + slowest + " ms from admission to the webhook");
    assertInEventTimeOrder(rig.all.accepted());
    assertEquals(8.0, outcome(rig, "timeout"), "every trigger went on without its summary");

    // The retries use up the budget; then nothing more goes out until its window has passed.
    awaitTrue(() -> rig.emulator.requests().matching("GET", CONVERSATIONS).size() >= budget, 15_000,
        () -> "the budget was never reached: " + rig.emulator.requests().matching("GET", CONVERSATIONS).size());
    Thread.sleep(1_500);
    List<RequestLog.Entry> api = rig.emulator.requests().all().stream().filter(e -> e.path().startsWith("/api/v2/"))
        .toList();
    assertEquals(budget, api.size(), "exactly the budget went out: " + api);
    for (String token : api.stream().map(RequestLog.Entry::token).distinct().toList()) {
      int most = rig.emulator.requests().requestsPerWindow(token, 60_000);
      assertTrue(most <= budget, most + " requests in a minute, over the budget of " + budget);
    }
    long limited = api.stream().filter(e -> e.status() == 429).count();
    assertTrue(limited >= 8, "the storm answered 429s: " + limited);
    for (RequestLog.Entry refused : api) {
      if (refused.status() != 429) {
        continue;
      }
      for (RequestLog.Entry next : api) {
        // Requests already on their way when the 429 was answered are not the client's choice: 50 ms of grace.
        assertTrue(next.at() <= refused.answeredAt() + 50 || next.at() >= refused.answeredAt() + 1_000,
            "a request at " + next.at() + " within the Retry-After of a 429 answered at " + refused.answeredAt());
      }
    }
  }

  /** Every conversation's deliveries in the order of the sample's eventTimes. */
  private static void assertInEventTimeOrder(List<Webhook.Received> received) {
    Map<String, Long> last = new HashMap<>();
    for (Webhook.Received r : received) {
      long time = r.json().getJsonObject("event").getJsonObject("detail").getJsonObject("eventBody")
          .getLong("eventTime");
      Long before = last.put(r.header("X-Switchboard-Conversation-Id"), time);
      assertTrue(before == null || before <= time, "out of order: " + r.json().getJsonObject("event").encode());
    }
  }

  /** A conversation the emulator answers for on {@code queue}, its REST conversation complete. */
  private String conversation(Rig rig, String queue) {
    String id = UUID.randomUUID().toString();
    rig.emulator.conversations().voice(id, queue, AGENT).answered(Instant.parse("2025-03-11T14:02:07.412Z"))
        .done().await();
    return id;
  }

  /** Posts the voice sample's events {@code from} (inclusive) to {@code to} under {@code id}, noting admissions. */
  private void postVoice(Rig rig, String id, int from, int to) {
    for (String sample : Samples.VOICE.subList(from, to)) {
      JsonObject event = new JsonObject(Samples.bytes(sample).toString().replace(Samples.VOICE_ID, id))
          .put("id", UUID.randomUUID().toString());
      int status = rig.server.post(event.toBuffer()).await().statusCode();
      assertEquals(202, status, sample);
      admitted.put(event.getString("id"), System.currentTimeMillis());
    }
  }

  private static double outcome(Rig rig, String outcome) {
    String metrics = rig.server.get("/metrics").await().bodyAsString();
    return Math.max(0, PrometheusText.sample(metrics, "switchboard_enrichment_total", "outcome=\"" + outcome + "\""));
  }

  private Rig rig(JsonObject enrichment, int requestsPerMinute) throws Exception {
    GenesysEmulator emulator = GenesysEmulator.start(vertx).await();
    Webhook all = Webhook.start(vertx).await();
    Webhook support = Webhook.start(vertx).await();
    JsonObject config = TestServer.config(dir);
    config.put("targets", new JsonArray()
        .add(new JsonObject().put("id", "all").put("type", "http").put("url", all.url())
            .put("payload", new JsonObject().put("shape", "enriched")))
        .add(new JsonObject().put("id", "support").put("type", "http").put("url", support.url())
            .put("filter", new JsonObject().put("conversation", new JsonObject().put("enrichment",
                new JsonObject().put("queueIds", new JsonArray().add(SUPPORT)))))));
    config.put("genesys", new JsonObject().put("baseUrl", emulator.baseUrl()).put("clientId", emulator.clientId())
        .put("clientSecretEnv", SECRET_ENV).put("requestsPerMinute", requestsPerMinute));
    config.getJsonObject("state").put("enrichment", enrichment.copy().put("enabled", true));
    TestServer server = TestServer.start(vertx, dir, config, Map.of(SECRET_ENV, emulator.clientSecret())).await();
    return new Rig(emulator, all, support, server);
  }

  private record Rig(GenesysEmulator emulator, Webhook all, Webhook support, TestServer server) {
  }
}
