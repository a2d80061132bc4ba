package io.switchboard.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target that is down makes a Kafka source pause its partitions, not drop or over-read: while the webhook answers
 * 503 for longer than {@code max.poll.interval.ms}, the partitions stay paused and assigned (the consumer keeps
 * polling, so the group never evicts it), only a bounded number of records is read ahead, and once the webhook is
 * back every event arrives, once, in conversation order.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaBackpressureTest {

  private static final int PER_PARTITION = 40;
  private static final int POLL_RECORDS = 20;
  private static final int MAX_POLL_INTERVAL_MS = 6_000;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void partitionsPauseWhileTheTargetIsDownAndResumeWhenItIsBack() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "backpressure-" + UUID.randomUUID();
    broker.createTopic(topic, 2);
    AtomicBoolean down = new AtomicBoolean(true);
    Webhook hook = Webhook.start(vertx).await();
    hook.script(n -> down.get() ? Webhook.Reply.status(503) : Webhook.Reply.ok());

    List<JsonArray> conversations = GeneratedConversations.voice("backpressure", 60, 2);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (JsonArray conversation : conversations) {
      for (Object e : conversation) {
        JsonObject event = (JsonObject) e;
        records.add(new ProducerRecord<>(topic, event.getJsonObject("detail").getJsonObject("eventBody")
            .getString("conversationId"), event.toBuffer().getBytes()));
      }
    }
    broker.produce(records);

    JsonObject config = TestServer.config(dir);
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http")
        .put("url", hook.url()).put("retry", new JsonObject().put("initialBackoffMs", 50).put("maxBackoffMs", 300))));
    config.put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "bp")
        .put("bootstrapServers", broker.bootstrapServers()).put("topics", new JsonArray().add(topic))
        .put("groupId", "bp-" + UUID.randomUUID()).put("maxInFlightPerPartition", PER_PARTITION)
        .put("maxPollRecords", POLL_RECORDS).put("maxPollIntervalMs", MAX_POLL_INTERVAL_MS)
        .put("sessionTimeoutMs", 6_000).put("revokeTimeoutMs", 2_000)));
    TestServer server = TestServer.start(vertx, dir, config).await();

    KafkaSourceIntegrationTest.awaitTrue(() -> pausedPartitions(server) == 2, 30_000,
        () -> "partitions not paused: " + status(server).encode());
    // Down for longer than max.poll.interval.ms: a consumer that stopped polling would be evicted by now.
    Thread.sleep(MAX_POLL_INTERVAL_MS + 2_000);
    JsonObject paused = status(server);
    assertEquals(2, pausedPartitions(server), paused.encode());
    assertEquals(0, paused.getInteger("revokedPartitions"), paused.encode());
    assertEquals(0, paused.getInteger("lostPartitions"), paused.encode());
    for (Object p : paused.getJsonArray("partitions")) {
      int unsettled = ((JsonObject) p).getInteger("unsettledRecords");
      // At most the bound, plus what polls already under way had fetched when the pause took effect.
      assertTrue(unsettled <= PER_PARTITION + 2 * POLL_RECORDS, "read ahead of the bound: " + paused.encode());
    }
    assertEquals(0, hook.accepted().size());

    down.set(false);
    int expected = records.size();
    KafkaSourceIntegrationTest.awaitTrue(() -> distinct(hook) == expected, 60_000,
        () -> "delivered " + distinct(hook) + " of " + expected);
    Set<String> ids = new HashSet<>();
    conversations.forEach(c -> c.forEach(e -> ids.add(((JsonObject) e).getString("id"))));
    CrashRecoveryIT.Report report = CrashRecoveryIT.Report.of(conversations, ids, hook.accepted());
    assertEquals(List.of(), report.lost);
    assertEquals(0, report.duplicates);
    assertEquals(0, report.orderViolations, report.violationExamples.toString());
    KafkaSourceIntegrationTest.awaitTrue(() -> pausedPartitions(server) == 0, 10_000,
        () -> "still paused: " + status(server).encode());
  }

  private static JsonObject status(TestServer server) {
    return server.get("/ready").await().bodyAsJsonObject().getJsonArray("kafka").getJsonObject(0);
  }

  private static int pausedPartitions(TestServer server) {
    int paused = 0;
    for (Object p : status(server).getJsonArray("partitions")) {
      paused += ((JsonObject) p).getBoolean("paused") ? 1 : 0;
    }
    return paused;
  }

  private static int distinct(Webhook hook) {
    Set<String> ids = new HashSet<>();
    hook.accepted().forEach(r -> ids.add(r.json().getString("id")));
    return ids.size();
  }
}
