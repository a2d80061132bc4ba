package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server delivering to an {@code eventbridge} target whose SDK client talks to the PutEvents emulator
 * through an endpoint override. Credentials come from the SDK's default chain (its system-property provider, set
 * here), as they would from the environment or an IAM role in production.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class EventBridgeIntegrationTest {

  private static final String BUS = "arn:aws:events:us-east-1:123456789012:event-bus/contact-center";

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;
  private EventBridgeEmulator emulator;

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDSWITCHBOARDIT");
    System.setProperty("aws.secretAccessKey", "not-a-secret");
  }

  @AfterAll
  static void forgetCredentials() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @BeforeEach
  void emulator(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    EventBridgeEmulator.start(vertx).onComplete(ctx.succeeding(e -> {
      emulator = e;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<TestServer> boot(Consumer<JsonObject> tweak) {
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("reorder").put("windowMs", 500);
    JsonObject target = new JsonObject().put("id", "bus").put("type", "eventbridge").put("eventBus", BUS)
        .put("region", "us-east-1").put("endpoint", emulator.endpoint())
        .put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 100));
    tweak.accept(target);
    config.put("targets", new JsonArray().add(target));
    return TestServer.start(vertx, dir, config).onSuccess(s -> server = s);
  }

  private Future<Void> until(long timeoutMs, java.util.function.BooleanSupplier condition) {
    return Eventually.poll(vertx, timeoutMs, () -> Future.succeededFuture(condition.getAsBoolean()))
        .recover(e -> Future.failedFuture(new AssertionError("timed out: " + emulator.events().size() + " events put in "
            + emulator.requests().size() + " requests; dead letters " + server.deadLetters())));
  }

  private Future<Void> settled() {
    return Eventually.poll(vertx, 10_000, () -> server.inFlight().map(n -> n == 0));
  }

  /** Posts payloads as one JSON array, as an API destination with batching does. */
  private Future<Void> postBatch(List<Buffer> payloads) {
    Buffer body = Buffer.buffer("[");
    for (int i = 0; i < payloads.size(); i++) {
      body.appendString(i == 0 ? "" : ",").appendBuffer(payloads.get(i));
    }
    return server.post(body.appendString("]")).compose(r -> r.statusCode() == 202 ? Future.<Void>succeededFuture()
        : Future.failedFuture(new AssertionError("answered " + r.statusCode() + ": " + r.bodyAsString())));
  }

  /** The voice conversation's first event as a new conversation: new conversation id, new envelope id. */
  private static Buffer newConversation() {
    String text = Samples.bytes("eb-voice-01-customer-start.json").toString(StandardCharsets.UTF_8)
        .replace(Samples.VOICE_ID, UUID.randomUUID().toString());
    return new JsonObject(text).put("id", UUID.randomUUID().toString()).toBuffer();
  }

  /** An entry's identity: its conversation and event time (unique within every sample conversation). */
  private static String key(JsonObject entry) {
    JsonObject body = new JsonObject(entry.getString("Detail")).getJsonObject("eventBody");
    return body.getString("conversationId") + "@" + body.getLong("eventTime");
  }

  @Test
  void verifiesThatEverySampleArrivesAsAnEntryWithTheGenesysDetailOnTheBusInConversationOrder(VertxTestContext ctx) {
    List<String> all = Samples.all();
    boot(t -> { })
        .compose(s -> server.postSamples(all))
        .compose(v -> until(20_000, () -> emulator.events().size() >= all.size()))
        .compose(v -> settled())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(all.size(), emulator.events().size());
          Map<String, JsonObject> envelopes = new HashMap<>();
          all.forEach(s -> envelopes.put(Samples.json(s).getJsonObject("detail").getString("topicName") + "@"
              + Samples.json(s).getJsonObject("detail").getJsonObject("eventBody").getLong("eventTime"), Samples.json(s)));
          for (EventBridgeEmulator.PutEvent event : emulator.events()) {
            JsonObject entry = event.entry();
            JsonObject detail = event.detail();
            JsonObject envelope = envelopes.remove(detail.getString("topicName") + "@" + event.eventTime());
            assertEquals(envelope.getJsonObject("detail"), detail);
            assertEquals(envelope.getString("detail-type"), entry.getString("DetailType"));
            assertEquals("switchboard", entry.getString("Source"));
            assertEquals(BUS, entry.getString("EventBusName"));
            assertEquals(event.eventTime() / 1000.0, entry.getDouble("Time"), 0.0005);
          }
          assertTrue(envelopes.isEmpty(), "every sample once: " + envelopes.keySet());
          for (String conversation : List.of(Samples.VOICE_ID, Samples.MULTI_ID)) {
            List<Long> times = emulator.eventsOf(conversation).stream().map(EventBridgeEmulator.PutEvent::eventTime).toList();
            assertEquals(times.stream().sorted().toList(), times, conversation);
          }
          for (EventBridgeEmulator.Request request : emulator.requests()) {
            assertTrue(request.entries().size() <= 10);
            assertTrue(request.headers().get("Authorization").contains("Credential=AKIDSWITCHBOARDIT/"));
          }
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatReadyEventsOfManyConversationsGoOutInBatchesOfAtMostTen(VertxTestContext ctx) {
    emulator.latency(100);
    List<Buffer> conversations = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      conversations.add(newConversation());
    }
    boot(t -> t.put("lingerMs", 50))
        .compose(s -> postBatch(conversations))
        .compose(v -> until(20_000, () -> emulator.events().size() >= 25))
        .compose(v -> settled())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          List<Integer> sizes = emulator.requests().stream().map(r -> r.entries().size()).toList();
          assertEquals(25, emulator.events().size());
          assertEquals(25, sizes.stream().mapToInt(Integer::intValue).sum(), "nothing sent twice: " + sizes);
          assertEquals(10, sizes.stream().mapToInt(Integer::intValue).max().orElse(0), "batches of up to 10: " + sizes);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatOnlyFailedEntriesAreResentAndEachConversationKeepsItsOrderAcrossRetries(VertxTestContext ctx) {
    List<Buffer> extra = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      extra.add(newConversation());
    }
    Map<String, Integer> failures = new ConcurrentHashMap<>();
    Map<String, String> codes = new HashMap<>();
    // Voice acd.start fails twice (throttled), voice user.start and multi message acd.end once (internal), and
    // one of the new conversations once: chosen entries only, inside requests whose other entries succeed.
    plan(failures, codes, Samples.VOICE_ID, "eb-voice-04-acd-start.json", 2, "ThrottlingException");
    plan(failures, codes, Samples.VOICE_ID, "eb-voice-06-user-start.json", 1, "InternalFailure");
    plan(failures, codes, Samples.MULTI_ID, "eb-multi-03-message-acd-end.json", 1, "InternalFailure");
    JsonObject third = extra.get(3).toJsonObject();
    String thirdKey = third.getJsonObject("detail").getJsonObject("eventBody").getString("conversationId") + "@"
        + third.getJsonObject("detail").getJsonObject("eventBody").getLong("eventTime");
    failures.put(thirdKey, 1);
    codes.put(thirdKey, "ThrottlingException");
    Map<String, Integer> planned = Map.copyOf(failures);
    emulator.failEntries((n, entry) -> {
      String key = key(entry);
      AtomicInteger left = new AtomicInteger();
      failures.computeIfPresent(key, (k, v) -> {
        left.set(v);
        return v > 1 ? v - 1 : null;
      });
      return left.get() > 0 ? codes.get(key) : null;
    });
    List<Buffer> payloads = new ArrayList<>();
    Samples.VOICE.forEach(s -> payloads.add(Samples.bytes(s)));
    Samples.MULTI.forEach(s -> payloads.add(Samples.bytes(s)));
    payloads.addAll(extra);
    boot(t -> t.put("lingerMs", 20))
        .compose(s -> postBatch(payloads))
        .compose(v -> until(30_000, () -> emulator.events().size() >= payloads.size()))
        .compose(v -> settled())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(payloads.size(), emulator.events().size());
          assertTrue(failures.isEmpty(), "every planned failure happened: " + failures);
          // Attempts per event: one, plus one per injected failure; a delivered entry is never sent again.
          Map<String, Integer> attempts = new HashMap<>();
          Map<String, List<String>> attemptOrder = new LinkedHashMap<>();
          for (EventBridgeEmulator.Request request : emulator.requests()) {
            assertEquals(200, request.status());
            assertTrue(request.entries().size() <= 10);
            for (JsonObject entry : request.entries()) {
              String key = key(entry);
              attempts.merge(key, 1, Integer::sum);
              attemptOrder.computeIfAbsent(key.substring(0, key.indexOf('@')), c -> new ArrayList<>()).add(key);
            }
          }
          for (EventBridgeEmulator.PutEvent event : emulator.events()) {
            String key = key(event.entry());
            assertEquals(1 + planned.getOrDefault(key, 0), attempts.get(key), key);
          }
          assertEquals(payloads.size(), attempts.size(), "each event delivered exactly once");
          // Per conversation, at the emulator: puts in eventTime order, and no later event was even attempted
          // before an earlier one was in (a retried event is never overtaken).
          attemptOrder.forEach((conversation, keys) -> {
            List<Long> times = keys.stream().map(k -> Long.parseLong(k.substring(k.indexOf('@') + 1))).toList();
            assertEquals(times.stream().sorted().toList(), times, conversation);
            List<Long> put = emulator.eventsOf(conversation).stream().map(EventBridgeEmulator.PutEvent::eventTime).toList();
            assertEquals(put.stream().sorted().distinct().toList(), put, conversation);
          });
          assertTrue(emulator.requests().stream().anyMatch(r -> r.entries().size() > 1
              && r.answer().getInteger("FailedEntryCount") > 0
              && r.answer().getInteger("FailedEntryCount") < r.entries().size()), "a partly failed request was seen");
          ctx.completeNow();
        })));
  }

  private static void plan(Map<String, Integer> failures, Map<String, String> codes, String conversation, String sample,
                           int times, String code) {
    String key = conversation + "@" + Samples.json(sample).getJsonObject("detail").getJsonObject("eventBody")
        .getLong("eventTime");
    failures.put(key, times);
    codes.put(key, code);
  }

  @Test
  void verifiesThatAnOversizedEntryIsDeadLetteredWithAClearReasonWhileTheRestIsDelivered(VertxTestContext ctx) {
    List<String> samples = new ArrayList<>(Samples.VOICE);
    samples.add("edge-oversized-attributes.json");
    boot(t -> { })
        .compose(s -> server.postSamples(samples))
        .compose(v -> until(20_000, () -> emulator.events().size() >= Samples.VOICE.size()
            && server.deadLetters().size() == 1))
        .compose(v -> settled())
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          JsonObject letter = server.deadLetters().get(0);
          assertEquals("delivery_rejected", letter.getString("reason"));
          assertEquals("dispatch", letter.getString("stage"));
          assertEquals("bus", letter.getString("target"));
          assertEquals(1, letter.getInteger("attempts"));
          String error = letter.getString("error");
          assertTrue(error.startsWith("target rejected the event: status 400 (EntryTooLarge: entry is "), error);
          assertTrue(error.contains("over maxEntryBytes 262144; not sent"), error);
          assertEquals(Samples.json("edge-oversized-attributes.json"), letter.getJsonObject("payload"));
          assertEquals(Samples.VOICE.size(), emulator.events().size());
          assertFalse(emulator.requests().stream().flatMap(r -> r.entries().stream())
              .anyMatch(e -> EventBridgeEmulator.entrySize(e) > EventBridgeEmulator.DEFAULT_MAX_BYTES), "never sent");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatWholeRequestFailuresAreRetriedAndCounted(VertxTestContext ctx) {
    emulator.failRequests(n -> n <= 2 ? EventBridgeEmulator.Fault.internal()
        : n == 3 ? EventBridgeEmulator.Fault.throttling() : null);
    boot(t -> { })
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> until(20_000, () -> emulator.events().size() >= Samples.VOICE.size()))
        .compose(v -> settled())
        .compose(v -> server.get("/metrics"))
        .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
          assertEquals(200, metrics.statusCode(), String.valueOf(metrics.bodyAsString()));
          List<EventBridgeEmulator.Request> requests = emulator.requests();
          assertEquals(List.of(500, 500, 400), requests.subList(0, 3).stream().map(EventBridgeEmulator.Request::status).toList());
          List<Long> times = emulator.eventsOf(Samples.VOICE_ID).stream().map(EventBridgeEmulator.PutEvent::eventTime).toList();
          assertEquals(Samples.VOICE.stream().map(s -> Samples.json(s).getJsonObject("detail").getJsonObject("eventBody")
              .getLong("eventTime")).toList(), times, "each event once, in order, after the failures");
          String text = metrics.bodyAsString();
          assertTrue(text.contains("switchboard_eventbridge_entries_put_total{target=\"bus\"} 10.0"), text);
          assertTrue(text.matches("(?s).*switchboard_eventbridge_entries_failed_total\\{code=\"InternalException\","
              + "target=\"bus\"} [1-9].*"), text);
          assertTrue(text.matches("(?s).*switchboard_eventbridge_entries_failed_total\\{code=\"ThrottlingException\","
              + "target=\"bus\"} [1-9].*"), text);
          assertTrue(text.contains("switchboard_eventbridge_batch_size_count{target=\"bus\"}"), text);
          assertTrue(text.contains("switchboard_eventbridge_put_latency_seconds_count{target=\"bus\"}"), text);
          ctx.completeNow();
        })));
  }
}
