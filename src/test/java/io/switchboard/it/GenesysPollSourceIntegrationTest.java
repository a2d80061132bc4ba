package io.switchboard.it;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.ConfigNode;
import io.switchboard.config.GenesysConfig;
import io.switchboard.config.GenesysPollSourceConfig;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.genesys.AnalyticsConversations;
import io.switchboard.genesys.AnalyticsEvents;
import io.switchboard.genesys.GenesysHosts;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.it.genesys.RequestLog;
import io.switchboard.verticles.GenesysAccessVerticle;
import io.switchboard.verticles.GenesysPollSourceVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server on loopback with a {@code genesys-poll} source against the Genesys emulator's analytics jobs (deployed
 * beside the server's own stages until MainVerticle deploys it from {@code sources[]}); a webhook target receives
 * what comes out.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class GenesysPollSourceIntegrationTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  /**
   * Verifies that conversations spread over many overlapping windows reach the webhook as exactly the mapped events,
   * each once (the overlap's repeats absorbed by dedup) and every conversation in order; and measures how fast a
   * backlog is admitted with pages of 100.
   */
  @Test
  void verifiesThatEveryMappedEventArrivesOnceAndInConversationOrder() {
    long now = System.currentTimeMillis();
    long t0 = now - 40 * 60_000L;
    List<JsonObject> conversations = AnalyticsConversations.voice(42, 400, t0, 15 * 60_000L);
    GenesysEmulator emulator = emulator(EmulatorOptions.builder(), conversations);
    Webhook hook = Webhook.start(vertx).await();
    TestServer server = server(hook);
    JsonObject poll = new JsonObject().put("type", "genesys-poll").put("id", "analytics").put("intervalSeconds", 120)
        .put("overlapSeconds", 30).put("lagSeconds", 0).put("startAt", Instant.ofEpochMilli(t0 - 60_000).toString())
        .put("pageSize", 100).put("jobPollMs", 50).put("checkpointDir", dir.resolve("checkpoints").toString());
    Map<String, List<JsonObject>> expected = expected(conversations);
    int total = expected.values().stream().mapToInt(List::size).sum();

    String control = deployPoll(server, emulator, poll, 300);
    long started = System.currentTimeMillis();
    Eventually.poll(vertx, 120_000, () -> status(control).map(s -> s.getLong("eventsAdmitted") >= total)).await();
    long admitted = System.currentTimeMillis() - started;
    Eventually.poll(vertx, 60_000, () -> Future.succeededFuture(hook.accepted().size() >= total)).await();
    JsonObject status = status(control).await();
    System.out.printf("genesys-poll: %d events of %d conversations admitted in %d ms (%.0f events/s, pages of 100, "
            + "%d windows, %d analytics requests)%n", total, conversations.size(), admitted, total * 1000.0 / admitted,
        status.getLong("windowsCompleted"), emulator.requests().matching(null, "/api/v2/analytics").size());

    assertDeliveredExactly(expected, hook);
    assertTrue(status.getLong("windowsCompleted") >= 12, status.encode());
    assertEquals(0L, status.getLong("apiErrors"), status.encode());
    // Every job was deleted once its last page was read.
    long submitted = emulator.requests().matching("POST", "/api/v2/analytics/conversations/details/jobs").size();
    Eventually.poll(vertx, 5_000, () -> Future.succeededFuture(emulator.requests()
        .matching("DELETE", "/api/v2/analytics/conversations/details/jobs").size() == submitted)).await();
  }

  /**
   * Verifies that during a storm of 429s on the analytics API the source waits out every {@code Retry-After} and the
   * node's request budget is never exceeded (both measured at the emulator, which enforces the same limit), and that
   * nothing is lost for it.
   */
  @Test
  void verifiesThatA429StormIsWaitedOutWithinTheBudget() {
    long now = System.currentTimeMillis();
    long t0 = now - 30 * 60_000L;
    int budget = 24;
    List<JsonObject> conversations = AnalyticsConversations.voice(43, 60, t0, 15 * 60_000L);
    // The emulator allows one more than the budget: the budget counts when a permit is given, the emulator when the
    // request arrives, and the latency between them differs from request to request (see the span check below).
    GenesysEmulator emulator = emulator(EmulatorOptions.builder().rateLimit(budget + 1, Duration.ofMinutes(1)),
        conversations);
    Webhook hook = Webhook.start(vertx).await();
    TestServer server = server(hook);
    JsonObject poll = new JsonObject().put("type", "genesys-poll").put("id", "storm").put("intervalSeconds", 300)
        .put("overlapSeconds", 30).put("lagSeconds", 0).put("startAt", Instant.ofEpochMilli(t0 - 60_000).toString())
        .put("jobPollMs", 150).put("checkpointDir", dir.resolve("checkpoints").toString());
    Map<String, List<JsonObject>> expected = expected(conversations);
    int total = expected.values().stream().mapToInt(List::size).sum();

    emulator.tooManyRequestsStorm("/api/v2/analytics", Duration.ofSeconds(6), 2).await();
    long stormEnds = System.currentTimeMillis() + 6_000;
    String control = deployPoll(server, emulator, poll, budget);
    Eventually.poll(vertx, 150_000, () -> Future.succeededFuture(hook.accepted().size() >= total)).await();

    List<RequestLog.Entry> requests = emulator.requests().matching(null, "/api/v2/");
    List<String> problems = new ArrayList<>();
    long storm429 = 0;
    for (int i = 0; i < requests.size(); i++) {
      RequestLog.Entry e = requests.get(i);
      if (e.status() != 429) {
        continue;
      }
      if (e.at() > stormEnds + 500) {
        problems.add("429 outside the storm, the budget was exceeded: " + e);
      }
      storm429++;
      for (RequestLog.Entry later : requests) {
        // Anything that arrived after the 429 was answered (and was not already on its way) waited 2 s.
        if (later.at() > e.answeredAt() + 100 && later.at() < e.answeredAt() + 2_000 - 50) {
          problems.add(later.method() + " " + later.path() + " at +" + (later.at() - e.answeredAt())
              + " ms after a 429 asking for 2 s");
        }
      }
    }
    String token = requests.get(requests.size() - 1).token();
    int perMinute = emulator.requests().requestsPerWindow(token, 60_000);
    int perMinuteLessLatency = emulator.requests().requestsPerWindow(token, 59_500);
    System.out.printf("genesys-poll 429 storm: %d answered 429, %d requests in all, at most %d in a minute "
        + "(budget %d)%n", storm429, requests.size(), perMinute, budget);
    assertTrue(storm429 > 0, "the storm was met");
    assertEquals(List.of(), problems.stream().limit(10).toList());
    assertTrue(perMinuteLessLatency <= budget, perMinuteLessLatency + " requests within 59.5 s");
    assertTrue(perMinute <= budget + 1, perMinute + " requests in a minute");
    assertDeliveredExactly(expected, hook);
    System.out.println("genesys-poll 429 storm: source status " + status(control).await().encode());
  }

  /** The events each conversation maps to over all time, in order: what the webhook must receive. */
  static Map<String, List<JsonObject>> expected(List<JsonObject> conversations) {
    Map<String, List<JsonObject>> out = new LinkedHashMap<>();
    for (JsonObject c : conversations) {
      out.put(c.getString("conversationId"), AnalyticsEvents.released(c, Long.MAX_VALUE).stream()
          .map(AnalyticsEvents.Mapped::message).toList());
    }
    return out;
  }

  /** Every expected event once, each conversation's in their order, nothing else. */
  static void assertDeliveredExactly(Map<String, List<JsonObject>> expected, Webhook hook) {
    Map<String, List<JsonObject>> got = new HashMap<>();
    for (Webhook.Received r : hook.accepted()) {
      JsonObject message = r.json();
      got.computeIfAbsent(message.getJsonObject("eventBody").getString("conversationId"), k -> new ArrayList<>())
          .add(message);
    }
    List<String> wrong = new ArrayList<>();
    expected.forEach((id, events) -> {
      List<String> want = events.stream().map(e -> e.getString("topicName") + " " + e.getJsonObject("eventBody")
          .encode()).toList();
      List<String> have = got.getOrDefault(id, List.of()).stream().map(e -> e.getString("topicName") + " "
          + e.getJsonObject("eventBody").encode()).toList();
      if (!want.equals(have)) {
        wrong.add(id + ": expected " + want.size() + " events, got " + have.size() + " "
            + have.stream().map(h -> h.substring(h.lastIndexOf('.', h.indexOf(' ')) + 1, h.indexOf(' '))).toList());
      }
    });
    assertEquals(List.of(), wrong.stream().limit(5).toList(), wrong.size() + " conversations differ");
    assertEquals(expected.size(), got.size());
  }

  private GenesysEmulator emulator(EmulatorOptions.Builder options, List<JsonObject> conversations) {
    GenesysEmulator emulator = GenesysEmulator.start(vertx, options
        .jobTiming(Duration.ofMillis(50), Duration.ofMillis(50)).build()).await();
    List<Future<Void>> puts = new ArrayList<>();
    for (JsonObject c : conversations) {
      puts.add(emulator.conversations().put(new JsonObject().put("id", c.getString("conversationId")), c));
    }
    Future.all(puts).await();
    return emulator;
  }

  private TestServer server(Webhook hook) {
    JsonObject config = TestServer.config(dir);
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http")
        .put("url", hook.url())));
    return TestServer.start(vertx, dir, config).await();
  }

  /** Deploys the node's Genesys access owner and the poll source beside the server; returns its control address. */
  private String deployPoll(TestServer server, GenesysEmulator emulator, JsonObject poll, int requestsPerMinute) {
    SwitchboardConfig sc = server.main().switchboardConfig();
    GenesysConfig genesys = new GenesysConfig(GenesysHosts.ofBase(URI.create(emulator.baseUrl())),
        emulator.clientId(), emulator.clientSecret(), requestsPerMinute, 300, 10_000, 180);
    vertx.deployVerticle(new GenesysAccessVerticle(genesys, sc.nodeId())).await();
    ShardMap shardMap = ShardMap.singleNode(sc.nodeId(), sc.shards(), sc.dedup().instances(),
        sc.reorder().instances(), sc.state().instances());
    GenesysPollSourceConfig source = GenesysPollSourceConfig.from(new ConfigNode(poll, "sources[0]"),
        System.currentTimeMillis());
    vertx.deployVerticle(new GenesysPollSourceVerticle(source, genesys, normalizer(), shardMap,
        sc.http().dedupTimeoutMs())).await();
    String control = Addresses.ingestControl(sc.nodeId(), source.sourceId());
    vertx.eventBus().request(control, new JsonObject().put("action", "listen")).await();
    return control;
  }

  private Future<JsonObject> status(String control) {
    return vertx.eventBus().<JsonObject>request(control, new JsonObject().put("action", "status"))
        .map(m -> m.body());
  }

  static EventNormalizer normalizer() {
    return new EventNormalizer(SchemaRegistry.load(name -> {
      try {
        return Files.readString(Path.of("conf", "schemas").resolve(name));
      } catch (NoSuchFileException e) {
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }, SchemaRegistry.DEFAULT_NAMES), true);
  }
}
