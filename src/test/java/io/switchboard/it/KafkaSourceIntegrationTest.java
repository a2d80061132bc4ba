package io.switchboard.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server consuming a real Kafka broker ({@link KafkaBroker}): the sample conversations and a few thousand
 * generated events, produced keyed by conversation with duplicates, swapped pairs and poison records among them,
 * reach a loopback webhook and a Kafka topic each exactly once and in conversation order; the poison is dead-lettered with its topic,
 * partition and offset; and the group's committed offsets, sampled all along, never pass a record whose events had
 * not reached the webhook.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KafkaSourceIntegrationTest {

  private static final int CONVERSATIONS = 300;

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();
  private final List<String> commitViolations = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void everyRecordIsDeliveredOnceInOrderAndCommittedOnlyOnceSettled() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "genesys-in-" + UUID.randomUUID();
    String group = "switchboard-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    Webhook hook = Webhook.start(vertx).await();

    List<JsonArray> conversations = new ArrayList<>();
    conversations.add(samples(Samples.VOICE));
    conversations.add(samples(Samples.MULTI));
    conversations.addAll(GeneratedConversations.voice("kafka-it", CONVERSATIONS, 4));
    List<ProducerRecord<String, byte[]>> records = withDuplicatesSwapsAndPoison(topic, conversations);
    // Half before the server starts (a backlog), half while it runs.
    broker.produce(records.subList(0, records.size() / 2));

    JsonObject config = TestServer.config(dir);
    String out = "genesys-out-" + UUID.randomUUID();
    broker.createTopic(out, 4);
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http")
        .put("url", hook.url())).add(new JsonObject().put("id", "kafka-out").put("type", "kafka")
        .put("bootstrapServers", broker.bootstrapServers()).put("topic", out)));
    // Checkpoints (and so commits) every 200 ms: many chances for a commit to run ahead of a delivery.
    config.getJsonObject("checkpoint").put("intervalMs", 200);
    config.put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "genesys")
        .put("bootstrapServers", broker.bootstrapServers()).put("topics", new JsonArray().add(topic))
        .put("groupId", group).put("settledNoteMs", 100)));
    TestServer server = TestServer.start(vertx, dir, config).await();

    AtomicBoolean sampling = new AtomicBoolean(true);
    Map<TopicPartition, List<Set<String>>> idsByOffset = new HashMap<>();
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        checkCommitsAgainstDeliveries(broker, group, topic, hook, idsByOffset);
      }
    }, "commit-sampler");
    broker.produce(records.subList(records.size() / 2, records.size()));
    synchronized (idsByOffset) {
      idsByOffset.putAll(idsByOffset(broker.readAll(topic)));
    }
    sampler.start();

    int expected = conversations.stream().mapToInt(JsonArray::size).sum();
    awaitTrue(() -> distinctIds(hook) == expected, 90_000, () -> "delivered " + distinctIds(hook) + " of "
        + expected);
    // Everything settled: the next checkpoint commits every partition to its end.
    Map<TopicPartition, Long> ends = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : broker.readAll(topic)) {
      ends.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max);
    }
    awaitTrue(() -> broker.committed(group).equals(ends), 30_000, () -> "committed " + broker.committed(group)
        + ", ends " + ends);
    sampling.set(false);
    sampler.join();

    Set<String> ids = new HashSet<>();
    conversations.forEach(c -> c.forEach(e -> ids.add(((JsonObject) e).getString("id"))));
    CrashRecoveryIT.Report report = CrashRecoveryIT.Report.of(conversations, ids, hook.accepted());
    System.out.println("kafka source: " + report.line(0, 0));
    assertEquals(List.of(), report.lost);
    assertEquals(0, report.duplicates, "duplicate records are absorbed by dedup");
    assertEquals(0, report.orderViolations, report.violationExamples.toString());
    assertEquals(0, report.late, "nothing here is late");
    assertEquals(List.of(), commitViolations, "committed offsets passed records not yet delivered");

    assertKafkaOutput(broker.readAll(out), conversations);

    List<JsonObject> letters = deadLetters();
    assertEquals(3, letters.size(), letters.toString());
    for (JsonObject letter : letters) {
      assertTrue(letter.getString("error").matches("kafka " + topic + "/[0-2]@[0-9]+: .+"), letter.encode());
    }
    assertTrue(letters.stream().anyMatch(l -> l.getString("error").contains("tombstone")), letters.toString());
    assertTrue(letters.stream().anyMatch(l -> "schema_invalid".equals(l.getString("reason"))), letters.toString());
    JsonObject ready = server.get("/ready").await().bodyAsJsonObject();
    assertEquals(3, ready.getJsonArray("kafka").getJsonObject(0).getJsonArray("partitions").size(), ready.encode());
  }

  /**
   * Each conversation keyed by its id; every tenth event produced twice (the copy later), the fourth and fifth of
   * every seventh conversation swapped, and three poison records (not JSON, a tombstone, an envelope the schema
   * rejects) between good ones.
   */
  private static List<ProducerRecord<String, byte[]>> withDuplicatesSwapsAndPoison(String topic,
                                                                                   List<JsonArray> conversations) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    List<ProducerRecord<String, byte[]>> copies = new ArrayList<>();
    int n = 0;
    for (int c = 0; c < conversations.size(); c++) {
      List<JsonObject> events = new ArrayList<>();
      conversations.get(c).forEach(e -> events.add((JsonObject) e));
      if (c % 7 == 3 && events.size() > 5) {
        JsonObject fourth = events.get(3);
        events.set(3, events.get(4));
        events.set(4, fourth);
      }
      for (JsonObject event : events) {
        String key = event.getJsonObject("detail").getJsonObject("eventBody").getString("conversationId");
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, event.toBuffer().getBytes());
        records.add(record);
        if (++n % 10 == 0) {
          copies.add(record);
        }
      }
      if (c == 40) {
        records.add(new ProducerRecord<>(topic, "poison", "{\"detail\": not json".getBytes(StandardCharsets.UTF_8)));
        records.add(new ProducerRecord<>(topic, "poison", null));
        records.add(new ProducerRecord<>(topic, "poison", new JsonObject().put("id", UUID.randomUUID().toString())
            .put("detail-type", "v2.detail.events.conversation.{id}.customer.start").put("source", "aws.partner")
            .put("detail", new JsonObject().put("topicName", "v2.detail.events.conversation.x.customer.start"))
            .toBuffer().getBytes()));
      }
    }
    records.addAll(copies);
    return records;
  }

  /**
   * The output topic, read back partition by partition: every event exactly once by idempotency key, keyed by its
   * conversation, and each conversation's events in eventTime order within its partition.
   */
  private static void assertKafkaOutput(List<ConsumerRecord<String, byte[]>> records, List<JsonArray> conversations) {
    int expected = conversations.stream().mapToInt(JsonArray::size).sum();
    Set<String> keys = new HashSet<>();
    Set<String> ids = new HashSet<>();
    Map<String, Long> lastTime = new HashMap<>();
    Map<String, Integer> partitionOf = new HashMap<>();
    List<String> problems = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      JsonObject envelope = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      JsonObject body = envelope.getJsonObject("detail").getJsonObject("eventBody");
      String conversation = body.getString("conversationId");
      var header = r.headers().lastHeader("idempotency-key");
      if (header == null || !keys.add(new String(header.value(), StandardCharsets.UTF_8))) {
        problems.add("idempotency key missing or repeated at " + r.partition() + "@" + r.offset());
      }
      ids.add(envelope.getString("id"));
      if (!conversation.equals(r.key())) {
        problems.add("record keyed " + r.key() + " holds conversation " + conversation);
      }
      if (!partitionOf.computeIfAbsent(conversation, c -> r.partition()).equals(r.partition())) {
        problems.add("conversation " + conversation + " in two partitions");
      }
      long time = body.getLong("eventTime");
      if (time < lastTime.getOrDefault(conversation, Long.MIN_VALUE)) {
        problems.add("out of order: " + envelope.getString("id") + " of " + conversation);
      }
      lastTime.merge(conversation, time, Math::max);
    }
    assertEquals(List.of(), problems.subList(0, Math.min(10, problems.size())));
    assertEquals(expected, records.size(), "one record per event");
    assertEquals(expected, ids.size());
  }

  private void checkCommitsAgainstDeliveries(KafkaBroker broker, String group, String topic, Webhook hook,
                                             Map<TopicPartition, List<Set<String>>> idsByOffset) {
    Map<TopicPartition, Long> committed = broker.committed(group);
    // Read after the commits: a correct server delivered everything below them before committing.
    Set<String> delivered = new HashSet<>();
    hook.accepted().forEach(r -> delivered.add(r.json().getString("id")));
    synchronized (idsByOffset) {
      committed.forEach((tp, offset) -> {
        List<Set<String>> byOffset = idsByOffset.getOrDefault(tp, List.of());
        for (int o = 0; o < Math.min(offset, byOffset.size()); o++) {
          for (String id : byOffset.get(o)) {
            if (!delivered.contains(id) && commitViolations.size() < 10) {
              commitViolations.add(tp + " committed " + offset + " before " + id + " at offset " + o);
            }
          }
        }
      });
    }
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The envelope ids of each record, by partition and offset (poison records have none). */
  private static Map<TopicPartition, List<Set<String>>> idsByOffset(List<ConsumerRecord<String, byte[]>> records) {
    Map<TopicPartition, List<Set<String>>> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      List<Set<String>> list = out.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>());
      while (list.size() < r.offset()) {
        list.add(Set.of());
      }
      Set<String> ids = new HashSet<>();
      try {
        String id = new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("id");
        if (id != null && !"poison".equals(r.key())) {
          ids.add(id);
        }
      } catch (RuntimeException poison) {
        // not JSON, or a tombstone
      }
      list.add(ids);
    }
    return out;
  }

  static void awaitTrue(java.util.function.BooleanSupplier condition, long timeoutMillis,
                        java.util.function.Supplier<String> what) throws InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out: " + what.get());
      }
      Thread.sleep(100);
    }
  }

  private static int distinctIds(Webhook hook) {
    Set<String> ids = new HashSet<>();
    hook.accepted().forEach(r -> ids.add(r.json().getString("id")));
    return ids.size();
  }

  private static JsonArray samples(List<String> names) {
    JsonArray events = new JsonArray();
    names.forEach(name -> events.add(Samples.json(name)));
    return events;
  }

  private List<JsonObject> deadLetters() throws Exception {
    List<JsonObject> letters = new ArrayList<>();
    Path dlq = dir.resolve("dlq");
    if (!Files.isDirectory(dlq)) {
      return letters;
    }
    try (Stream<Path> files = Files.list(dlq)) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("deadletters-")).toList()) {
        for (String line : Files.readAllLines(file)) {
          if (!line.isBlank()) {
            letters.add(new JsonObject(line));
          }
        }
      }
    }
    return letters;
  }
}
