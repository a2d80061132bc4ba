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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
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
import java.util.HashSet;
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
 * The real server delivering to {@code kafka} targets on a real broker ({@link KafkaBroker#shared()}), every topic read
 * back partition by partition: exactly once per idempotency key, per-key order, record keys, headers, payload shapes,
 * an oversized record and a topic that appears late.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class KafkaTargetIntegrationTest {

  private static KafkaBroker broker;

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;

  @BeforeAll
  static void broker() {
    broker = KafkaBroker.shared();
  }

  @BeforeEach
  void vertx() {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  // --- rig -------------------------------------------------------------------------------------------------

  /** A kafka target on the test broker; quick retries. */
  private static JsonObject target(String id, String topic) {
    return new JsonObject().put("id", id).put("type", "kafka").put("bootstrapServers", broker.bootstrapServers())
        .put("topic", topic).put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 200));
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

  /** The topic's records, read with a blocking consumer off the event loop. */
  private Future<List<ConsumerRecord<String, byte[]>>> read(String topic) {
    return vertx.executeBlocking(() -> broker.readAll(topic));
  }

  private static JsonObject json(ConsumerRecord<String, byte[]> record) {
    return Buffer.buffer(record.value()).toJsonObject();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static JsonObject body(JsonObject envelope) {
    return envelope.getJsonObject("detail").getJsonObject("eventBody");
  }

  private static Map<String, JsonObject> byId(List<JsonObject> envelopes) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    envelopes.forEach(e -> out.put(e.getString("id"), e));
    return out;
  }

  private static List<JsonObject> all(List<JsonArray> generated) {
    List<JsonObject> out = new ArrayList<>(Samples.all().stream().map(Samples::json).toList());
    generated.forEach(c -> c.forEach(e -> out.add((JsonObject) e)));
    return out;
  }

  /**
   * Asserts that each idempotency key, and each posted event, is in the topic exactly once, and returns the records by
   * event id.
   */
  private static Map<String, ConsumerRecord<String, byte[]>> exactlyOnce(List<ConsumerRecord<String, byte[]>> records,
      Function<JsonObject, JsonObject> envelopeOf, Set<String> expectedIds) {
    Set<String> keys = new HashSet<>();
    Map<String, ConsumerRecord<String, byte[]>> byId = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      String key = header(record, "idempotency-key");
      assertNotNull(key, "idempotency header");
      assertTrue(keys.add(key), "idempotency key " + key + " written twice");
      String id = envelopeOf.apply(json(record)).getString("id");
      assertTrue(byId.put(id, record) == null, "event " + id + " written twice");
    }
    Set<String> missing = new HashSet<>(expectedIds);
    missing.removeAll(byId.keySet());
    assertEquals(Set.of(), missing, missing.size() + " of " + expectedIds.size() + " events missing");
    assertEquals(expectedIds.size(), byId.size(), "events nobody posted");
    return byId;
  }

  /** Asserts that, reading each partition in offset order, the records of one group come in eventTime order. */
  private static void inEventTimeOrder(List<ConsumerRecord<String, byte[]>> records,
                                       Function<ConsumerRecord<String, byte[]>, String> group,
                                       Function<JsonObject, JsonObject> envelopeOf) {
    Map<String, List<Long>> times = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      times.computeIfAbsent(record.partition() + "|" + group.apply(record), k -> new ArrayList<>())
          .add(body(envelopeOf.apply(json(record))).getLong("eventTime"));
    }
    times.forEach((key, list) -> assertEquals(list.stream().sorted().toList(), list, "order of " + key));
  }

  // --- tests -----------------------------------------------------------------------------------------------

  @Test
  void verifiesThatSamplesAndGeneratedConversationsLandExactlyOnceInOrderUnderTheirKeys(VertxTestContext ctx) {
    broker.createTopic("it-conversations", 4);
    broker.createTopic("it-queues", 3);
    List<JsonArray> generated = GeneratedConversations.voice("kafka-it", 100, 5);
    Map<String, JsonObject> expected = byId(all(generated));
    JsonArray targets = new JsonArray()
        .add(target("by-conversation", "it-conversations"))
        .add(target("by-queue", "it-queues").put("key", new JsonObject().put("pointer", "/detail/eventBody/queueId"))
            .put("payload", new JsonObject().put("shape", "enriched")));
    boot(targets)
        .compose(s -> server.postSamples(Samples.all()))
        .compose(v -> post(generated, 8))
        .compose(v -> settled(60_000))
        .compose(v -> read("it-conversations"))
        .compose(conv -> read("it-queues").map(queue -> List.of(conv, queue)))
        .compose(read -> server.get("/metrics").map(r -> r.bodyAsString()).map(m -> {
          ctx.verify(() -> {
            assertEquals(1021, expected.size());
            // original shape, conversation keys: the envelope verbatim, each conversation in one partition, in order
            List<ConsumerRecord<String, byte[]>> conv = read.get(0);
            exactlyOnce(conv, e -> e, expected.keySet()).forEach((id, record) -> {
              assertEquals(expected.get(id), json(record));
              assertEquals(body(expected.get(id)).getString("conversationId"), record.key());
              assertEquals(record.key(), header(record, "conversation-id"));
              assertEquals(32, header(record, "idempotency-key").length());
              assertNotNull(header(record, "event-type"));
            });
            Map<String, Set<Integer>> partitionsOf = conv.stream().collect(Collectors.groupingBy(ConsumerRecord::key,
                Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
            partitionsOf.forEach((c, p) -> assertEquals(1, p.size(), "conversation " + c + " in one partition"));
            assertEquals(4, conv.stream().map(ConsumerRecord::partition).distinct().count(), "spread over partitions");
            inEventTimeOrder(conv, ConsumerRecord::key, e -> e);
            // enriched shape, queue keys: the wrapper's idempotency key is the header's, keys are queue-or-conversation
            List<ConsumerRecord<String, byte[]>> queue = read.get(1);
            exactlyOnce(queue, w -> w.getJsonObject("event"), expected.keySet()).forEach((id, record) -> {
              JsonObject wrapper = json(record);
              assertEquals(expected.get(id), wrapper.getJsonObject("event"));
              assertEquals(wrapper.getString("idempotencyKey"), header(record, "idempotency-key"));
              JsonObject eventBody = body(expected.get(id));
              assertEquals(eventBody.getString("queueId", eventBody.getString("conversationId")), record.key());
            });
            inEventTimeOrder(queue, r -> r.key() + "|" + header(r, "conversation-id"), w -> w.getJsonObject("event"));
            // metrics: every record counted, and the producer put several records in a request
            assertEquals(1021.0, sample(m, "switchboard_kafka_records_total", "target=\"by-conversation\"",
                "result=\"ok\""), m);
            assertTrue(sample(m, "switchboard_kafka_producer_records_per_request_avg", "target=\"by-conversation\"") > 1,
                "records shared requests");
          });
          return null;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatARecordTooLargeIsDeadLetteredWithTheReasonAndTheRestOfItsConversationDelivered(VertxTestContext ctx) {
    broker.createTopic("it-small-records", 1);
    Buffer oversized = Samples.bytes("edge-oversized-attributes.json");
    boot(new JsonArray().add(target("small", "it-small-records").put("maxRecordBytes", 65_536)))
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> server.post(oversized))
        .compose(r -> Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server.deadLetters().size() == 1)))
        .compose(v -> settled(20_000))
        .compose(v -> read("it-small-records"))
        .onComplete(ctx.succeeding(records -> ctx.verify(() -> {
          JsonObject letter = server.deadLetters().get(0);
          assertEquals("delivery_rejected", letter.getString("reason"));
          assertEquals("small", letter.getString("target"));
          assertEquals(1, letter.getInteger("attempts"));
          assertTrue(letter.getString("error").contains("record too large")
              && letter.getString("error").contains("exceeds maxRecordBytes 65536"), letter.getString("error"));
          assertEquals(oversized.toJsonObject(), letter.getJsonObject("payload"));
          assertEquals(Samples.VOICE.stream().map(n -> Samples.json(n).getString("id")).toList(),
              records.stream().map(r -> json(r).getString("id")).toList(), "the rest of the conversation, in order");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatATopicCreatedLateReceivesEverythingInOrderAndNothingIsDeadLetteredMeanwhile(VertxTestContext ctx) {
    JsonObject late = target("late", "it-created-late").put("requestTimeoutMs", 1000).put("deliveryTimeoutMs", 3000);
    boot(new JsonArray().add(late))
        .compose(s -> server.postSamples(Samples.VOICE))
        .compose(v -> Eventually.poll(vertx, 20_000, () -> server.get("/ready").map(r -> r.bodyAsString()
            .contains("not present in metadata"))))
        .compose(v -> server.inFlight())
        .compose(inFlight -> {
          ctx.verify(() -> assertEquals(10, inFlight, "nothing dead-lettered while the topic is missing"));
          return vertx.executeBlocking(() -> {
            broker.createTopic("it-created-late", 2);
            return null;
          });
        })
        .compose(v -> settled(30_000))
        .compose(v -> read("it-created-late"))
        .onComplete(ctx.succeeding(records -> ctx.verify(() -> {
          assertEquals(List.of(), server.deadLetters());
          assertEquals(Samples.VOICE.stream().map(n -> Samples.json(n).getString("id")).toList(),
              records.stream().map(r -> json(r).getString("id")).toList(), "one conversation, one partition, in order");
          ctx.completeNow();
        })));
  }
}
