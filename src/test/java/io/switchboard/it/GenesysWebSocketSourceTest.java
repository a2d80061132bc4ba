package io.switchboard.it;

import io.switchboard.genesys.ConversationSnapshotEvents;
import io.switchboard.ingest.CanonicalJson;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.it.genesys.SocketLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static io.switchboard.it.KafkaSourceIntegrationTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server with a {@code genesys-websocket} source subscribed to a queue's conversation topic on the Genesys
 * emulator, voice calls driven through it while the stream is disturbed as Genesys disturbs it: tokens that expire,
 * heartbeats that stop, {@code socket_closing}, a revoked token. Every lifecycle event the queue snapshots the
 * emulator sent show must reach the webhook once (by content; dedup absorbs repeats and overlaps), each
 * conversation in eventTime order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GenesysWebSocketSourceTest {

  private static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  private static final String AGENT = "2a82977a-fb91-4f81-b300-33f719a7ae7a";
  private static final String TOPIC = "v2.routing.queues." + QUEUE + ".conversations";
  private static final String SECRET_ENV = "GENESYS_TEST_SECRET";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final Instant base = Instant.parse("2026-12-01T09:00:00Z");
  private int calls;

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void aSteadyStreamArrivesOnceAndInOrder() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build());
    callsThrough(rig, 20);
    rig.assertDelivered();
  }

  @Test
  void anExpiringTokenIsRenewedWithoutLosingAMessage() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200))
        .tokenLifetime(Duration.ofSeconds(2)).build());
    for (int round = 0; round < 4; round++) {
      callsThrough(rig, 5);
      Thread.sleep(800);
      // A channel per round, as after a socket_closing: its REST calls need a token valid now.
      rig.emulator.sendSocketClosing().await();
    }
    rig.assertDelivered();
    long tokens = rig.emulator.requests().all().stream().filter(e -> e.path().equals("/oauth/token")).count();
    assertTrue(tokens >= 2, "the token was renewed: " + tokens + " token requests");
  }

  @Test
  void stoppedHeartbeatsGetANewChannelAndNothingIsLost() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build());
    callsThrough(rig, 5);
    String first = rig.channel();
    rig.emulator.stopHeartbeats().await();
    awaitTrue(() -> !rig.channel().equals(first), 10_000, () -> "no new channel after the heartbeats stopped");
    callsThrough(rig, 5);
    rig.assertDelivered();
  }

  @Test
  void onSocketClosingTheNewSocketIsUpBeforeTheOldCloses() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200))
        .socketClosingDelay(Duration.ofSeconds(2)).build());
    callsThrough(rig, 5);
    String first = rig.channel();
    rig.emulator.sendSocketClosing().await();
    awaitTrue(() -> !rig.channel().equals(first), 10_000, () -> "no new channel after socket_closing");
    callsThrough(rig, 5);
    awaitTrue(() -> !rig.emulator.sockets().closes(first).isEmpty(), 10_000, () -> "the old socket never closed");
    long newOpened = rig.emulator.sockets().opens(rig.channel()).get(0);
    long oldClosed = rig.emulator.sockets().closes(first).get(0);
    assertTrue(newOpened < oldClosed, "the new socket opened at " + newOpened + ", after the old closed at "
        + oldClosed);
    rig.assertDelivered();
  }

  @Test
  void aRevokedTokenIsReplacedAndTheStreamGoesOn() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build());
    callsThrough(rig, 5);
    String first = rig.channel();
    String token = rig.emulator.requests().all().stream().filter(e -> e.token() != null)
        .reduce((a, b) -> b).orElseThrow().token();
    assertTrue(rig.emulator.revokeToken(token).await());
    awaitTrue(() -> !rig.channel().equals(first), 10_000, () -> "no new channel after token_revoked");
    callsThrough(rig, 5);
    rig.assertDelivered();
    assertTrue(rig.emulator.requests().all().stream().filter(e -> e.path().equals("/oauth/token")).count() >= 2,
        "a new token was fetched");
  }

  @Test
  void aDroppedSocketOrALostSubscriptionGetsANewChannel() throws Exception {
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build());
    callsThrough(rig, 3);
    String first = rig.channel();
    rig.emulator.dropSockets().await();
    awaitTrue(() -> !rig.channel().equals(first) && !"null".equals(rig.channel()), 10_000,
        () -> "no new channel after the socket dropped");
    callsThrough(rig, 3);
    String second = rig.channel();
    assertTrue(rig.emulator.sendNoLongerSubscribed(second).await());
    awaitTrue(() -> !rig.channel().equals(second) && !"null".equals(rig.channel()), 10_000,
        () -> "no new channel after no_longer_subscribed");
    callsThrough(rig, 3);
    rig.assertDelivered();
  }

  @Test
  void aRejectedTopicIsReportedWhileThePermittedOnesFlow() throws Exception {
    String forbidden = "v2.routing.queues.0d1c7f3e-5b1a-4c57-9a65-2f0c8e1d4b77.conversations";
    Rig rig = rig(EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200))
        .rejectTopics(forbidden, "routing:queue:view").build(), "failing", List.of(TOPIC, forbidden));
    JsonArray rejected = rig.status().getJsonArray("rejectedTopics");
    assertEquals(1, rejected.size(), rig.status().encode());
    assertEquals(forbidden, rejected.getJsonObject(0).getString("topic"));
    assertEquals("DEGRADED", rig.server.get("/ready").await().bodyAsJsonObject().getString("status"));
    callsThrough(rig, 5);
    rig.assertDelivered();
  }

  private Rig rig(EmulatorOptions options) throws Exception {
    return rig(options, "connected", List.of(TOPIC));
  }

  /** A running emulator, webhook and server whose source has subscribed to {@code topics}. */
  private Rig rig(EmulatorOptions options, String state, List<String> topics) throws Exception {
    GenesysEmulator emulator = GenesysEmulator.start(vertx, options).await();
    Webhook hook = Webhook.start(vertx).await();
    JsonObject config = TestServer.config(dir);
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http")
        .put("url", hook.url())));
    config.put("genesys", new JsonObject().put("baseUrl", emulator.baseUrl()).put("clientId", emulator.clientId())
        .put("clientSecretEnv", SECRET_ENV));
    config.put("sources", new JsonArray().add(new JsonObject().put("type", "genesys-websocket").put("id", "queues")
        .put("topics", new JsonArray(new ArrayList<>(topics))).put("heartbeatTimeoutSeconds", 1)
        .put("reconnectInitialMs", 50)
        .put("closeOverlapMs", 300)));
    TestServer server = TestServer.start(vertx, dir, config, Map.of(SECRET_ENV, emulator.clientSecret())).await();
    Rig rig = new Rig(emulator, hook, server);
    awaitTrue(() -> state.equals(rig.status().getString("state")) && rig.status().getString("channelId") != null,
        15_000,
        () -> "source not connected: " + rig.status().encode());
    return rig;
  }

  /** {@code count} answered calls on the queue, one after another, each published as it goes. */
  private void callsThrough(Rig rig, int count) {
    List<Future<Void>> done = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant start = base.plusSeconds(600L * calls++);
      done.add(rig.emulator.conversations().voice(UUID.randomUUID().toString(), QUEUE, AGENT).answered(start).done());
    }
    Future.all(done).await();
  }

  private final class Rig {
    final GenesysEmulator emulator;
    final Webhook hook;
    final TestServer server;

    Rig(GenesysEmulator emulator, Webhook hook, TestServer server) {
      this.emulator = emulator;
      this.hook = hook;
      this.server = server;
    }

    JsonObject status() {
      JsonArray genesys = server.get("/ready").await().bodyAsJsonObject().getJsonArray("genesys");
      return genesys == null ? new JsonObject() : genesys.getJsonObject(0);
    }

    String channel() {
      return String.valueOf(status().getString("channelId"));
    }

    /**
     * Every event the snapshots sent on any channel show arrives once, by content, and each conversation's in
     * eventTime order; nothing else arrives.
     */
    void assertDelivered() throws InterruptedException {
      Map<String, JsonObject> expected = new HashMap<>();
      for (String channel : emulator.channelIds().await()) {
        for (SocketLog.Sent sent : emulator.sockets().sent(channel)) {
          if (TOPIC.equals(sent.topicName())) {
            for (JsonObject event : ConversationSnapshotEvents.eventsOf(sent.message().getJsonObject("eventBody"))) {
              expected.put(key(event), event);
            }
          }
        }
      }
      assertTrue(expected.size() > 0, "the emulator sent no snapshots");
      Function<List<Webhook.Received>, Set<String>> keys = received -> {
        Set<String> out = new HashSet<>();
        received.forEach(r -> out.add(key(r.json())));
        return out;
      };
      awaitTrue(() -> keys.apply(hook.accepted()).containsAll(expected.keySet()), 30_000,
          () -> "delivered " + keys.apply(hook.accepted()).size() + " of " + expected.size());
      List<Webhook.Received> received = hook.accepted();
      assertEquals(expected.keySet(), keys.apply(received), "exactly the events the snapshots showed");
      assertEquals(expected.size(), received.size(), "each once");
      Map<String, Long> last = new HashMap<>();
      for (Webhook.Received r : received) {
        JsonObject body = r.json().getJsonObject("eventBody");
        long time = body.getLong("eventTime");
        Long before = last.put(body.getString("conversationId"), time);
        assertTrue(before == null || before <= time, "out of order in " + body.getString("conversationId"));
      }
    }
  }

  private static String key(JsonObject notification) {
    return notification.getString("topicName") + " " + CanonicalJson.toCanonicalString(notification.getJsonObject("eventBody"));
  }
}
