package io.switchboard.dispatch.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Attempt;
import io.switchboard.dispatch.Decision;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.it.KafkaBroker;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel alone against a real Kafka broker ({@link KafkaBroker#shared()}), each test on topics of its own. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class KafkaDeliveryChannelTest {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static KafkaBroker broker;

  @BeforeAll
  static void broker() {
    broker = KafkaBroker.shared();
  }

  // --- rig -------------------------------------------------------------------------------------------------

  /** A new topic's name; created with {@code partitions} unless that is 0. Blocking: call on the test thread. */
  private static String topic(int partitions) {
    String topic = "channel-" + TOPICS.incrementAndGet();
    if (partitions > 0) {
      broker.createTopic(topic, partitions);
    }
    return topic;
  }

  private static KafkaTargetOptions options(String topic, JsonObject extra) {
    JsonObject json = new JsonObject().put("id", "kt").put("type", "kafka")
        .put("bootstrapServers", broker.bootstrapServers()).put("topic", topic).mergeIn(extra);
    return KafkaTargetOptions.from(new ConfigNode(json, "targets[0]"), name -> null);
  }

  /**
   * A delivery as the dispatcher hands it over: ordered (and so keyed) by its conversation, its idempotency key unique
   * to conversation and number. {@code queueId} goes into the payload at /detail/eventBody/queueId when not null.
   */
  static Delivery delivery(String conversationId, int n, int bodyBytes, String queueId) {
    JsonObject eventBody = new JsonObject().put("conversationId", conversationId).put("eventTime", 1_700_000_000_000L + n);
    if (queueId != null) {
      eventBody.put("queueId", queueId);
    }
    String pad = "x".repeat(Math.max(0, bodyBytes - 120));
    Buffer body = new JsonObject().put("n", n).put("pad", pad)
        .put("detail", new JsonObject().put("eventBody", eventBody)).toBuffer();
    PipelineEvent event = new PipelineEvent(new Ticket("t", 1), "test", "evt-" + n, "fp-" + n, conversationId,
        "customer.start", "v2.detail.events.conversation." + conversationId + ".customer.start",
        1_700_000_000_000L + n, 1_700_000_000_100L, "VOICE", null, null, queueId, null, false, eventBody, body);
    ProcessedEvent processed = new ProcessedEvent(event, "started", 1, Buffer.buffer("{}"), 1_700_000_000_200L);
    return new Delivery(processed, body, "idem-" + conversationId + "-" + n, "all", 1).orderedBy(conversationId);
  }

  /** {@code count} conversations' deliveries number {@code n}: one per key, as the dispatcher hands them over. */
  private static List<Delivery> round(int n, int count, int bodyBytes) {
    List<Delivery> out = new ArrayList<>();
    for (int c = 0; c < count; c++) {
      out.add(delivery("conv-" + c, n, bodyBytes, null));
    }
    return out;
  }

  /** Runs {@code work} on one context, as a dispatcher runs its channel on its event loop. */
  private static <T> Future<T> on(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(done));
    return done.future();
  }

  private static List<Integer> codes(List<Outcome> outcomes) {
    return outcomes.stream().map(o -> assertInstanceOf(Outcome.Status.class, o, o::describe).code()).toList();
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private record Rig(KafkaDeliveryChannel channel, Context context, MeterRegistry registry, String topic) {
    Future<List<Outcome>> deliver(List<Delivery> batch) {
      return on(context, () -> channel.deliver(batch));
    }

    Future<Void> stop() {
      return on(context, channel::stop);
    }

    Future<List<ConsumerRecord<String, byte[]>>> readBack(Vertx vertx) {
      return vertx.executeBlocking(() -> broker.readAll(topic)); // a blocking consumer: off the event loop
    }
  }

  private static Future<Rig> rig(Vertx vertx, String topic, JsonObject extra) {
    Context context = vertx.getOrCreateContext();
    MeterRegistry registry = new SimpleMeterRegistry();
    KafkaDeliveryChannel channel = new KafkaDeliveryChannel(vertx, "kt", options(topic, extra), registry);
    return on(context, channel::start).map(v -> new Rig(channel, context, registry, topic));
  }

  // --- tests -----------------------------------------------------------------------------------------------

  @Test
  void verifiesThatEachDeliveryIsOneRecordKeyedByItsConversationCarryingItsIdempotencyKeyInOrderPerKey(Vertx vertx,
                                                                                                       VertxTestContext ctx) {
    String topic = topic(3);
    List<Delivery> sent = new ArrayList<>();
    List<List<Outcome>> answers = new ArrayList<>();
    rig(vertx, topic, new JsonObject())
        // Three rounds, each only after the last is acknowledged: the dispatcher's per-key order, eight keys at a time.
        .compose(rig -> deliverRound(rig, 0, sent, answers)
            .compose(v -> deliverRound(rig, 1, sent, answers))
            .compose(v -> deliverRound(rig, 2, sent, answers))
            .compose(v -> rig.readBack(vertx))
            .map(records -> {
              ctx.verify(() -> {
                answers.forEach(outcomes -> assertEquals(List.of(200, 200, 200, 200, 200, 200, 200, 200), codes(outcomes)));
                assertEquals(sent.size(), records.size(), "one record per delivery");
                Map<String, Delivery> byIdempotencyKey = sent.stream()
                    .collect(Collectors.toMap(Delivery::idempotencyKey, d -> d));
                Map<String, List<Integer>> numbersOfKey = new LinkedHashMap<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                  Delivery delivery = byIdempotencyKey.get(header(record, "idempotency-key"));
                  assertEquals(delivery.event().event().conversationId(), record.key());
                  assertEquals(delivery.body(), Buffer.buffer(record.value()));
                  assertEquals(record.key(), header(record, "conversation-id"));
                  assertEquals("customer.start", header(record, "event-type"));
                  numbersOfKey.computeIfAbsent(record.key(), k -> new ArrayList<>())
                      .add(Buffer.buffer(record.value()).toJsonObject().getInteger("n"));
                }
                assertEquals(8, numbersOfKey.size());
                numbersOfKey.forEach((key, numbers) -> assertEquals(List.of(0, 1, 2), numbers, "order of " + key));
                Map<String, Set<Integer>> partitions = records.stream().collect(Collectors.groupingBy(
                    ConsumerRecord::key, Collectors.mapping(ConsumerRecord::partition, Collectors.toSet())));
                partitions.forEach((key, p) -> assertEquals(1, p.size(), key + " in one partition"));
                assertEquals(24.0, rig.registry().get("switchboard.kafka.records").tag("result", "ok").counter().count());
              });
              return rig;
            })
            .compose(Rig::stop))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static Future<Void> deliverRound(Rig rig, int n, List<Delivery> sent, List<List<Outcome>> answers) {
    List<Delivery> batch = round(n, 8, 300);
    sent.addAll(batch);
    return rig.deliver(batch).map(outcomes -> {
      answers.add(outcomes);
      return null;
    });
  }

  @Test
  void verifiesThatRecordsHandedOverTogetherShareBatchesAndTheAchievedBatchSizesAreExported(Vertx vertx,
                                                                                           VertxTestContext ctx) {
    String topic = topic(1);
    // Uncompressed, so the batch bytes are the records' own (the padding would compress to almost nothing).
    rig(vertx, topic, new JsonObject().put("lingerMs", 200).put("compression", "none"))
        .compose(rig -> rig.deliver(round(0, 40, 500)).map(outcomes -> {
          ctx.verify(() -> {
            assertEquals(40, codes(outcomes).stream().filter(c -> c == 200).count());
            double perRequest = rig.registry().get("switchboard.kafka.producer.records.per.request.avg").gauge().value();
            double batchBytes = rig.registry().get("switchboard.kafka.producer.batch.bytes.avg").gauge().value();
            assertTrue(perRequest > 1, "records shared produce requests: " + perRequest);
            assertTrue(batchBytes > 2 * 500, "a batch held several records: " + batchBytes + " bytes");
          });
          return rig;
        }).compose(done -> done.stop().map(done)))
        .onComplete(ctx.succeeding(stopped -> ctx.verify(() -> {
          assertTrue(stopped.registry().find("switchboard.kafka.producer.records.per.request.avg").gauges().isEmpty(),
              "a stopped producer's gauges are gone");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatARecordAboveMaxRecordBytesIsA413NeverSentAndTheRestOfItsBatchIsDelivered(Vertx vertx,
                                                                                            VertxTestContext ctx) {
    String topic = topic(1);
    List<Delivery> batch = List.of(delivery("conv-a", 1, 300, null), delivery("conv-b", 2, 3000, null),
        delivery("conv-c", 3, 300, null));
    rig(vertx, topic, new JsonObject().put("maxRecordBytes", 2048))
        .compose(rig -> rig.deliver(batch).compose(outcomes -> rig.readBack(vertx).map(records -> {
          ctx.verify(() -> {
            assertEquals(List.of(200, 413, 200), codes(outcomes));
            String why = outcomes.get(1).describe();
            assertTrue(why.contains("record too large") && why.contains("exceeds maxRecordBytes 2048"), why);
            Decision decision = RetryPolicy.defaults().decide(new Attempt(1, 0, 1, outcomes.get(1)));
            assertInstanceOf(Decision.DeadLetter.class, decision, decision::toString);
            assertEquals(List.of("conv-a", "conv-c"), records.stream().map(ConsumerRecord::key).toList());
            assertEquals(1.0, rig.registry().get("switchboard.kafka.failed").tag("error", "RecordTooLarge")
                .counter().count());
            assertEquals(1.0, rig.registry().get("switchboard.kafka.records").tag("result", "rejected").counter().count());
          });
          return rig;
        })).compose(Rig::stop))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatAMissingTopicIsARetriableOutcomeWithinTheDeliveryTimeoutAndIsFoundOnceCreated(Vertx vertx,
                                                                                                 VertxTestContext ctx) {
    String topic = topic(0);
    JsonObject shortTimeouts = new JsonObject().put("lingerMs", 0).put("requestTimeoutMs", 1000)
        .put("deliveryTimeoutMs", 2000);
    long[] took = new long[1];
    rig(vertx, topic, shortTimeouts)
        .compose(rig -> {
          long started = System.nanoTime();
          return rig.deliver(round(0, 5, 200)).map(outcomes -> {
            took[0] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            ctx.verify(() -> {
              // Five sends, one at a time: without the gate each would wait max.block.ms (1 s) for the topic.
              assertTrue(took[0] < 2000, "answered within deliveryTimeoutMs, took " + took[0] + " ms");
              assertEquals(List.of(503, 503, 503, 503, 503), codes(outcomes));
              String why = outcomes.get(0).describe();
              assertTrue(why.contains("not writable") && why.contains("not present in metadata"), why);
              Decision decision = RetryPolicy.defaults().decide(new Attempt(1, 0, 1, outcomes.get(0)));
              assertInstanceOf(Decision.RetryAt.class, decision, decision::toString);
            });
            return rig;
          });
        })
        .compose(rig -> vertx.executeBlocking(() -> {
          broker.createTopic(topic, 1);
          return rig;
        }))
        // The first send after the gate reopens (one max.block.ms after the failure) looks for the topic again.
        .compose(rig -> {
          Promise<Rig> later = Promise.promise();
          vertx.setTimer(1100, id -> later.complete(rig));
          return later.future();
        })
        .compose(rig -> rig.deliver(round(1, 5, 200)).compose(outcomes -> rig.readBack(vertx).map(records -> {
          ctx.verify(() -> {
            assertEquals(List.of(200, 200, 200, 200, 200), codes(outcomes));
            assertEquals(5, records.size(), "written once the topic exists");
          });
          return rig;
        })).compose(Rig::stop))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatAProducerThatCannotBeBuiltFailsNoDeploymentAndAnswersARetriable503(Vertx vertx, VertxTestContext ctx) {
    // Kafka 3.7 resolves bootstrap host names in the producer's constructor and fails when none resolves.
    JsonObject json = new JsonObject().put("id", "kt").put("type", "kafka")
        .put("bootstrapServers", "no-such-host.invalid:9092").put("topic", "t");
    KafkaDeliveryChannel channel = new KafkaDeliveryChannel(vertx, "kt",
        KafkaTargetOptions.from(new ConfigNode(json, "targets[0]"), name -> null), new SimpleMeterRegistry());
    Context context = vertx.getOrCreateContext();
    on(context, channel::start)
        .compose(v -> on(context, () -> channel.deliver(round(0, 2, 100))))
        .compose(outcomes -> {
          ctx.verify(() -> {
            assertEquals(List.of(503, 503), codes(outcomes));
            String why = outcomes.get(0).describe();
            assertTrue(why.contains("no producer for topic t") && why.contains("resolvable"), why);
          });
          return on(context, channel::stop);
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatStopFlushesWhatWasHandedOverWithoutWaitingForTheLingerAndRefusesWhatComesAfter(Vertx vertx,
                                                                                                  VertxTestContext ctx) {
    String topic = topic(2);
    rig(vertx, topic, new JsonObject().put("lingerMs", 5000).put("deliveryTimeoutMs", 20_000))
        .compose(rig -> {
          long started = System.nanoTime();
          Future<List<Outcome>> lingering = rig.deliver(round(0, 6, 200));
          return rig.stop().compose(v -> lingering).compose(outcomes -> {
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            ctx.verify(() -> {
              assertEquals(List.of(200, 200, 200, 200, 200, 200), codes(outcomes));
              assertTrue(took < 4000, "flushed at stop, not after the 5 s linger: " + took + " ms");
            });
            return rig.deliver(round(1, 1, 200));
          }).compose(after -> rig.readBack(vertx).map(records -> {
            ctx.verify(() -> {
              assertEquals("other (channel stopped)", after.get(0).describe());
              assertEquals(6, records.size());
            });
            return null;
          }));
        })
        .onComplete(ctx.succeedingThenComplete());
  }
}
