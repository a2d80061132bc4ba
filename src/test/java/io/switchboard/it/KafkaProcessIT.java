package io.switchboard.it;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar} processes consuming a real Kafka broker while records keep arriving: SIGKILLed twice and
 * restarted, nothing is lost and every repeat carries its first copy's idempotency key; and two processes of one
 * consumer group, one of them stopped mid-stream, deliver every record with each conversation in order.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class KafkaProcessIT {

  private static final int CONVERSATIONS = 300;
  private static final long SEED = Long.getLong("crash.seed", 20261203L);

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Vertx vertx = Vertx.vertx();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    vertx.close().await();
  }

  @Test
  void nothingIsLostWhenTheServerIsKilledMidStream() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "crash-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    Webhook hook = Webhook.start(vertx).await();
    List<JsonArray> conversations = GeneratedConversations.voice("kafka-crash-" + SEED, CONVERSATIONS, 4);
    Path config = writeConfig("node", topic, "crash-" + UUID.randomUUID(), hook.url(), FreePorts.one());
    Random random = new Random(SEED);

    Thread producer = produceSteadily(broker, topic, conversations, 600);
    int port = new JsonObject(Files.readString(config)).getJsonObject("http").getInteger("port");
    for (int kill = 1; kill <= 2; kill++) {
      Process server = launch(config, "kill-" + kill);
      awaitReady(server, port);
      Thread.sleep(1_500 + random.nextInt(2_000));
      server.destroyForcibly();
      assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    }
    Process last = launch(config, "final");
    awaitReady(last, port);
    producer.join();
    Set<String> ids = ids(conversations);
    KafkaSourceIntegrationTest.awaitTrue(() -> distinct(hook) == ids.size(), 120_000,
        () -> "delivered " + distinct(hook) + " of " + ids.size());

    CrashRecoveryIT.Report report = CrashRecoveryIT.Report.of(conversations, ids, hook.accepted());
    System.out.println("kafka crash test: " + report.line(2, SEED));
    assertEquals(List.of(), report.lost);
    assertEquals(List.of(), report.keyMismatches, "repeats of one event with different idempotency keys");
    assertEquals(0, report.orderViolations, "first deliveries out of conversation order: "
        + report.violationExamples);
  }

  @Test
  void twoProcessesOfOneGroupDeliverEverythingInOrderWhenOneStops() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = "group-" + UUID.randomUUID();
    String group = "group-" + UUID.randomUUID();
    broker.createTopic(topic, 4);
    Webhook hook = Webhook.start(vertx).await();
    List<JsonArray> conversations = GeneratedConversations.voice("kafka-group-" + SEED, CONVERSATIONS, 4);
    int portA = FreePorts.one();
    int portB = FreePorts.one();
    Process a = launch(writeConfig("a", topic, group, hook.url(), portA), "a");
    Process b = launch(writeConfig("b", topic, group, hook.url(), portB), "b");
    awaitReady(a, portA);
    awaitReady(b, portB);

    // Both own partitions before anything is produced: the handover under test is b's leave. (A partition that goes
    // back to a process that held it before finds that process's state of its conversations stale: README, Kafka
    // source, "Partitions that come back".)
    KafkaSourceIntegrationTest.awaitTrue(() -> partitions(portA) + partitions(portB) == 4 && partitions(portB) > 0,
        30_000, () -> "partitions not shared: a " + partitions(portA) + ", b " + partitions(portB));
    Thread producer = produceSteadily(broker, topic, conversations, 600);
    Thread.sleep(2_500);
    // SIGTERM: b drains, commits what settled and leaves; a takes its partitions over from there.
    b.destroy();
    assertTrue(b.waitFor(60, TimeUnit.SECONDS), "b did not stop");
    producer.join();
    Set<String> ids = ids(conversations);
    try {
      KafkaSourceIntegrationTest.awaitTrue(() -> distinct(hook) == ids.size(), 120_000,
          () -> "delivered " + distinct(hook) + " of " + ids.size());
    } catch (AssertionError e) {
      Set<String> missing = new java.util.TreeSet<>(ids);
      hook.accepted().forEach(r -> missing.remove(r.json().getString("id")));
      throw new AssertionError(e.getMessage() + "; missing " + missing + "; run kept in "
          + JarProcess.keep(dir, "kafka-group-failure"), e);
    }

    // Within a session timeout at worst (b's leave may not reach the coordinator before its JVM exits).
    KafkaSourceIntegrationTest.awaitTrue(() -> partitions(portA) == 4, 30_000,
        () -> "a took b's partitions over: a owns " + partitions(portA));
    CrashRecoveryIT.Report report = CrashRecoveryIT.Report.of(conversations, ids, hook.accepted());
    System.out.println("kafka group test: " + report.line(0, SEED));
    assertEquals(List.of(), report.lost);
    assertEquals(List.of(), report.keyMismatches);
    assertEquals(0, report.orderViolations, report.violationExamples.toString());
    assertEquals(0, report.repeatsAfterLater, "a repeat after a later event of its conversation");
  }

  /** Produces every conversation's events, keyed by conversation, interleaved, at about {@code perSecond}. */
  private static Thread produceSteadily(KafkaBroker broker, String topic, List<JsonArray> conversations,
                                        int perSecond) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    int events = conversations.get(0).size();
    for (int e = 0; e < events; e++) {
      for (JsonArray conversation : conversations) {
        JsonObject event = conversation.getJsonObject(e);
        records.add(new ProducerRecord<>(topic, event.getJsonObject("detail").getJsonObject("eventBody")
            .getString("conversationId"), event.toBuffer().getBytes()));
      }
    }
    Thread thread = new Thread(() -> {
      int batch = Math.max(1, perSecond / 10);
      for (int i = 0; i < records.size(); i += batch) {
        broker.produce(records.subList(i, Math.min(records.size(), i + batch)));
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "producer");
    thread.start();
    return thread;
  }

  private Path writeConfig(String name, String topic, String group, String webhook, int port) throws IOException {
    Path data = dir.resolve(name);
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "hook").put("type", "http").put("url", webhook)))
        .put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "in")
            .put("bootstrapServers", KafkaBroker.shared().bootstrapServers()).put("topics", new JsonArray().add(topic))
            .put("groupId", group).put("settledNoteMs", 200).put("sessionTimeoutMs", 6_000)
            .put("revokeTimeoutMs", 10_000)))
        .put("deadLetters", new JsonObject().put("dir", data.resolve("dlq").toString()))
        .put("park", new JsonObject().put("dir", data.resolve("park").toString()))
        .put("journal", new JsonObject().put("dir", data.resolve("journal").toString()))
        .put("checkpoint", new JsonObject().put("dir", data.resolve("snapshots").toString()).put("intervalMs", 1000))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
    Files.createDirectories(data);
    Path file = data.resolve("switchboard.json");
    Files.writeString(file, config.encodePrettily());
    return file;
  }

  private final AtomicInteger launches = new AtomicInteger();

  private Process launch(Path config, String name) throws IOException {
    Process process = JarProcess.launch(config, config.getParent(), name + "-" + launches.incrementAndGet(),
        java.util.Map.of());
    processes.add(process);
    return process;
  }

  private void awaitReady(Process server, int port) throws Exception {
    JarProcess.awaitReady(server, port);
  }

  /** Partitions the process on {@code port} owns, from its {@code /ready}; 0 when it does not answer. */
  private int partitions(int port) {
    try {
      String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      return new JsonObject(body).getJsonArray("kafka").getJsonObject(0).getJsonArray("partitions").size();
    } catch (IOException | RuntimeException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static Set<String> ids(List<JsonArray> conversations) {
    Set<String> ids = new HashSet<>();
    conversations.forEach(c -> c.forEach(e -> ids.add(((JsonObject) e).getString("id"))));
    return ids;
  }

  private static int distinct(Webhook hook) {
    Set<String> ids = new HashSet<>();
    hook.accepted().forEach(r -> ids.add(r.json().getString("id")));
    return ids.size();
  }
}
