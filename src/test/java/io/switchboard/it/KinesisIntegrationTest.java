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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.switchboard.it.PrometheusText.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server delivering to {@code kinesis} targets on kinesalite (installed and started by {@link Kinesalite}),
 * every stream read back shard by shard: exactly once, per-key order, partition keys, payload shapes, partial
 * failures (through {@link KinesisProxy}), oversized records and a stream that appears late.
 *
 * <p>Credentials come from the AWS default provider chain, as in production: the test sets the
 * {@code aws.accessKeyId}/{@code aws.secretAccessKey} system properties that the chain reads first.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class KinesisIntegrationTest {

  private static Kinesalite kinesalite;

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;
  private KinesisStreams streams;

  @BeforeAll
  static void emulator() {
    kinesalite = Kinesalite.start();
    System.setProperty("aws.accessKeyId", KinesisStreams.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", KinesisStreams.SECRET_KEY);
  }

  @AfterAll
  static void stopEmulator() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    kinesalite.close();
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    streams = new KinesisStreams(vertx, kinesalite.endpoint());
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    streams.close();
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  // --- rig -------------------------------------------------------------------------------------------------

  /** A kinesis target as kinesalite needs it: HTTP/1.1, JSON, an endpoint override; quick retries. */
  private static JsonObject target(String id, String stream, String endpoint) {
    return new JsonObject().put("id", id).put("type", "kinesis").put("stream", stream).put("region", "us-east-1")
        .put("endpoint", endpoint).put("http1", true).put("cbor", false)
        .put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 200));
  }

  private Future<TestServer> boot(JsonArray targets) {
    JsonObject config = TestServer.config(dir).put("targets", targets);
    return TestServer.start(vertx, dir, config).onSuccess(s -> server = s);
  }

  /** Posts each conversation as one JSON array (as a batching API destination does), {@code lanes} at a time. */
  private Future<Void> post(List<JsonArray> conversations, int lanes) {
    List<Future<Void>> all = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      Future<Void> chain = Future.succeededFuture();
      for (int i = lane; i < conversations.size(); i += lanes) {
        JsonArray body = conversations.get(i);
        chain = chain.compose(v -> server.post(body.toBuffer()).compose(r -> r.statusCode() == 202
            && r.bodyAsJsonObject().getInteger("accepted") == body.size()
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(new AssertionError("answered " + r.statusCode() + ": " + r.bodyAsString()))));
      }
      all.add(chain);
    }
    return Future.all(all).mapEmpty();
  }

  /** Waits until every admitted event is delivered or dead-lettered at every target. */
  private Future<Void> settled(long timeoutMs) {
    return Eventually.poll(vertx, timeoutMs, () -> server.inFlight().map(n -> n == 0));
  }

  private Future<String> metrics() {
    return server.get("/metrics").map(r -> r.bodyAsString());
  }

  private static Map<String, JsonObject> byId(List<JsonObject> envelopes) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    envelopes.forEach(e -> out.put(e.getString("id"), e));
    return out;
  }

  private static List<JsonObject> samples(List<String> names) {
    return names.stream().map(Samples::json).toList();
  }

  private static List<JsonObject> flatten(List<JsonArray> conversations) {
    List<JsonObject> out = new ArrayList<>();
    conversations.forEach(c -> c.forEach(e -> out.add((JsonObject) e)));
    return out;
  }

  private static JsonObject body(JsonObject envelope) {
    return envelope.getJsonObject("detail").getJsonObject("eventBody");
  }

  /** What the {@code queue} strategy must produce: 16 hex characters of SHA-256, computed here independently. */
  private static String queueKey(JsonObject envelope) {
    String queue = body(envelope).getString("queueId");
    String value = queue != null && !queue.isEmpty() ? queue : body(envelope).getString("conversationId");
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Asserts that each event is in the stream exactly once and returns the records by event id. */
  private static Map<String, KinesisStreams.Stored> exactlyOnce(List<KinesisStreams.Stored> stored,
                                                                Function<JsonObject, JsonObject> envelopeOf,
                                                                Set<String> expectedIds) {
    Map<String, KinesisStreams.Stored> byId = new HashMap<>();
    for (KinesisStreams.Stored record : stored) {
      String id = envelopeOf.apply(record.json()).getString("id");
      KinesisStreams.Stored twice = byId.put(id, record);
      assertTrue(twice == null, "event " + id + " written twice");
    }
    Set<String> missing = new HashSet<>(expectedIds);
    missing.removeAll(byId.keySet());
    Set<String> unexpected = new HashSet<>(byId.keySet());
    unexpected.removeAll(expectedIds);
    assertEquals(Set.of(), missing, missing.size() + " of " + expectedIds.size() + " events missing");
    assertEquals(Set.of(), unexpected, "events nobody posted");
    return byId;
  }

  /**
   * Asserts that, reading each shard in sequence order, the events sharing a group (conversation, or partition key
   * and conversation) come in eventTime order.
   */
  private static void inEventTimeOrder(List<KinesisStreams.Stored> stored, Function<KinesisStreams.Stored, String> group,
                                       Function<JsonObject, JsonObject> envelopeOf) {
    Map<String, List<Long>> times = new HashMap<>();
    for (KinesisStreams.Stored record : stored) {
      times.computeIfAbsent(record.shardId() + "|" + group.apply(record), k -> new ArrayList<>())
          .add(body(envelopeOf.apply(record.json())).getLong("eventTime"));
    }
    times.forEach((key, list) -> assertEquals(list.stream().sorted().toList(), list, "order of " + key));
  }

  // --- tests -----------------------------------------------------------------------------------------------

  @Test
  void verifiesThatSamplesAndThousandsOfGeneratedEventsLandExactlyOnceInOrderUnderTheirPartitionKeys(VertxTestContext ctx) {
    List<JsonArray> generated = GeneratedConversations.voice("kinesis-it", 300, 5);
    List<JsonObject> all = new ArrayList<>(samples(Samples.all()));
    all.addAll(flatten(generated));
    Map<String, JsonObject> expected = byId(all);
    String endpoint = kinesalite.endpoint().toString();
    JsonArray targets = new JsonArray()
        .add(target("by-conversation", "conversations", endpoint))
        .add(target("by-queue", "queues", endpoint).put("partitionKey", "queue")
            .put("payload", new JsonObject().put("shape", "enriched")));
    streams.create("conversations", 4)
        .compose(v -> streams.create("queues", 3))
        .compose(v -> boot(targets))
        .compose(s -> server.postSamples(Samples.all()))
        .compose(v -> post(generated, 8))
        .compose(v -> settled(60_000))
        .compose(v -> streams.readAll("conversations"))
        .compose(byConversation -> streams.readAll("queues").map(byQueue -> List.of(byConversation, byQueue)))
        .compose(read -> metrics().map(m -> {
          ctx.verify(() -> {
            assertEquals(3021, expected.size());
            // original shape, conversation keys: the envelope verbatim, one shard per conversation, in order
            List<KinesisStreams.Stored> conv = read.get(0);
            Map<String, KinesisStreams.Stored> convById = exactlyOnce(conv, e -> e, expected.keySet());
            convById.forEach((id, record) -> {
              assertEquals(expected.get(id), record.json());
              assertEquals(body(expected.get(id)).getString("conversationId"), record.partitionKey());
            });
            Map<String, Set<String>> shardsOf = conv.stream().collect(Collectors.groupingBy(
                KinesisStreams.Stored::partitionKey, Collectors.mapping(KinesisStreams.Stored::shardId, Collectors.toSet())));
            shardsOf.forEach((c, shards) -> assertEquals(1, shards.size(), "conversation " + c + " on one shard"));
            assertEquals(4, conv.stream().map(KinesisStreams.Stored::shardId).distinct().count(), "spread over the shards");
            inEventTimeOrder(conv, r -> body(r.json()).getString("conversationId"), e -> e);
            // enriched shape, queue keys: the wrapper with its idempotency key, hashed queue-or-conversation keys
            List<KinesisStreams.Stored> queue = read.get(1);
            Map<String, KinesisStreams.Stored> queueById = exactlyOnce(queue, w -> w.getJsonObject("event"),
                expected.keySet());
            queueById.forEach((id, record) -> {
              JsonObject wrapper = record.json();
              assertEquals(expected.get(id), wrapper.getJsonObject("event"));
              assertEquals(id, wrapper.getString("traceId"));
              assertEquals(32, wrapper.getString("idempotencyKey").length());
              assertNotNull(wrapper.getJsonObject("conversation").getString("state"));
              assertEquals(queueKey(expected.get(id)), record.partitionKey());
            });
            inEventTimeOrder(queue, r -> r.partitionKey() + "|" + body(r.json().getJsonObject("event"))
                .getString("conversationId"), w -> w.getJsonObject("event"));
            // metrics: every record counted, requests batched
            assertEquals(3021.0, sample(m, "switchboard_kinesis_records_total", "target=\"by-conversation\"",
                "result=\"put\""), m);
            assertTrue(sample(m, "switchboard_kinesis_batch_size_max", "target=\"by-conversation\"") > 1,
                "records shared requests");
            assertTrue(sample(m, "switchboard_kinesis_put_latency_seconds_count", "target=\"by-queue\"") > 0);
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatOnlyFailedEntriesAreResentAndNoLaterRecordOfAKeyOvertakesAFailedOne(VertxTestContext ctx) {
    List<JsonArray> generated = GeneratedConversations.voice("kinesis-failures", 60, 3);
    List<JsonObject> all = new ArrayList<>(samples(Samples.all()));
    all.addAll(flatten(generated));
    Map<String, JsonObject> expected = byId(all);
    ScriptedFailures plan = new ScriptedFailures();
    KinesisProxy[] proxy = new KinesisProxy[1];
    streams.create("throttled", 1)
        .compose(v -> KinesisProxy.start(vertx, kinesalite.endpoint(), plan))
        .compose(p -> {
          proxy[0] = p;
          return boot(new JsonArray().add(target("throttled", "throttled", p.endpoint().toString())));
        })
        .compose(s -> server.postSamples(Samples.all()))
        .compose(v -> post(generated, 4))
        .compose(v -> settled(60_000))
        .compose(v -> streams.readAll("throttled"))
        .compose(stored -> metrics().map(m -> {
          ctx.verify(() -> {
            exactlyOnce(stored, e -> e, expected.keySet());
            stored.forEach(r -> assertEquals(body(r.json()).getString("conversationId"), r.partitionKey()));
            inEventTimeOrder(stored, r -> body(r.json()).getString("conversationId"), e -> e);
            List<KinesisProxy.Entry> entries = proxy[0].entries();
            // Every event: failed attempts exactly as scripted, then one write, and never sent again after it.
            Map<String, List<KinesisProxy.Entry>> attempts = new LinkedHashMap<>();
            entries.forEach(e -> attempts.computeIfAbsent(e.data().toJsonObject().getString("id"), k -> new ArrayList<>()).add(e));
            assertEquals(expected.size(), attempts.size());
            int resent = 0;
            for (Map.Entry<String, List<KinesisProxy.Entry>> event : attempts.entrySet()) {
              List<KinesisProxy.Entry> tries = event.getValue();
              assertTrue(tries.get(tries.size() - 1).written(), event.getKey() + " ends written");
              assertEquals(1, tries.stream().filter(KinesisProxy.Entry::written).count(), event.getKey() + " written once");
              long entryFailures = tries.stream().filter(t -> !t.written() && !t.error().startsWith("request:")).count();
              assertEquals(plan.failures(event.getKey()), entryFailures, event.getKey() + " failed as scripted");
              resent += tries.size() - 1;
            }
            assertTrue(resent > 50, "the script made many entries fail, resent " + resent);
            assertTrue(entries.stream().anyMatch(e -> e.error() != null && e.error().startsWith("request:")),
                "a whole request was throttled too");
            // At the moment any event of a conversation (its key) is sent, no other event of it is still unwritten.
            Map<String, Set<String>> unwritten = new HashMap<>();
            for (KinesisProxy.Entry e : entries) {
              JsonObject envelope = e.data().toJsonObject();
              String id = envelope.getString("id");
              String conversation = body(envelope).getString("conversationId");
              Set<String> open = unwritten.computeIfAbsent(conversation, k -> new HashSet<>());
              open.remove(id);
              assertTrue(open.isEmpty(), "conversation " + conversation + ": " + id + " sent while " + open + " unwritten");
              if (!e.written()) {
                open.add(id);
              }
            }
            assertTrue(sample(m, "switchboard_kinesis_throttled_total", "shard=\"shardId-000000000000\"") > 0, m);
            assertTrue(sample(m, "switchboard_kinesis_failed_total", "errorCode=\"InternalFailure\"") > 0);
            assertTrue(sample(m, "switchboard_kinesis_failed_total", "errorCode=\"LimitExceededException\"") > 0);
            assertTrue(sample(m, "switchboard_kinesis_records_total", "result=\"failed\"") >= resent);
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatARecordTooLargeForKinesisIsDeadLetteredWithItsSizeAndTheLimit(VertxTestContext ctx) {
    Buffer oversized = Samples.bytes("edge-oversized-attributes.json");
    int recordBytes = oversized.length() + Samples.VOICE_ID.length();
    streams.create("small-records", 1)
        .compose(v -> boot(new JsonArray().add(target("small", "small-records", kinesalite.endpoint().toString())
            .put("maxRecordBytes", 65_536))))
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> server.post(oversized))
        .compose(r -> Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server.deadLetters().size() == 1)))
        .compose(v -> settled(20_000))
        .compose(v -> streams.readAll("small-records"))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          JsonObject letter = server.deadLetters().get(0);
          assertEquals("delivery_rejected", letter.getString("reason"));
          assertEquals("dispatch", letter.getString("stage"));
          assertEquals("small", letter.getString("target"));
          assertEquals(1, letter.getInteger("attempts"));
          assertTrue(letter.getString("error").contains("record of " + recordBytes + " bytes exceeds Kinesis limit 65536"),
              letter.getString("error"));
          assertEquals(oversized.toJsonObject(), letter.getJsonObject("payload"));
          assertEquals(Samples.VOICE.stream().map(n -> Samples.json(n).getString("id")).toList(),
              stored.stream().map(r -> r.json().getString("id")).toList(), "the rest of the conversation, in order");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAStreamCreatedLateReceivesEverythingUnderPointerKeysWithConversationFallback(VertxTestContext ctx) {
    JsonObject late = target("late", "created-late", kinesalite.endpoint().toString())
        .put("partitionKey", new JsonObject().put("pointer", "/detail/eventBody/queueId"));
    boot(new JsonArray().add(late))
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> Eventually.poll(vertx, 20_000, () -> server.get("/ready").map(r -> r.bodyAsString()
            .contains("ResourceNotFoundException"))))
        .compose(v -> server.inFlight())
        .compose(inFlight -> {
          ctx.verify(() -> assertEquals(10, inFlight, "nothing dead-lettered while the stream is missing"));
          return streams.create("created-late", 2);
        })
        .compose(v -> settled(30_000))
        .compose(v -> streams.readAll("created-late"))
        .onComplete(ctx.succeeding(stored -> ctx.verify(() -> {
          assertEquals(10, stored.size());
          assertEquals(List.of(), server.deadLetters());
          for (KinesisStreams.Stored record : stored) {
            JsonObject body = body(record.json());
            assertEquals(body.getString("queueId", body.getString("conversationId")), record.partitionKey());
          }
          inEventTimeOrder(stored, KinesisStreams.Stored::partitionKey, e -> e);
          ctx.completeNow();
        })));
  }

  /**
   * Fails entries by a script fixed per event id (a third once, a tenth twice, alternating throttling and internal
   * failures) and throttles the whole third request. Runs on the proxy's event loop.
   */
  private static final class ScriptedFailures implements KinesisProxy.Plan {
    private final Map<String, Integer> seen = new HashMap<>();

    int failures(String id) {
      int h = Math.floorMod(id.hashCode(), 10);
      return h < 3 ? 1 : h == 3 ? 2 : 0;
    }

    @Override
    public KinesisProxy.RequestError request(int n, int records) {
      return n == 3 ? new KinesisProxy.RequestError(400, "LimitExceededException", "Rate exceeded for stream") : null;
    }

    @Override
    public String entry(String partitionKey, Buffer data) {
      String id = data.toJsonObject().getString("id");
      int n = seen.merge(id, 1, Integer::sum);
      if (n > failures(id)) {
        return null;
      }
      return Math.floorMod(n + id.hashCode(), 2) == 0 ? KinesisProxy.THROUGHPUT : KinesisProxy.INTERNAL;
    }
  }
}
