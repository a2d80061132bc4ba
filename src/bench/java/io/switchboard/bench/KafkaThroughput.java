package io.switchboard.bench;

import io.switchboard.it.GeneratedConversations;
import io.switchboard.it.KafkaBroker;
import io.switchboard.it.ShippedJvmOptions;
import io.switchboard.kafka.OffsetNote;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Kafka in, Kafka out, on this box: a real KRaft broker ({@link KafkaBroker}), {@code java -jar} Switchboard with a
 * {@code kafka} source and a {@code kafka} target (shipped JVM flags, default journal and checkpoints), and, in the
 * same sitting, a bare forwarder (a plain consumer and an idempotent producer in this JVM, committing after each
 * batch is acknowledged) as the ceiling. Generated voice conversations, keyed by conversation id.
 *
 * <p>Two modes: a backlog ({@code --rate 0}: everything is produced first, then the forwarder is started and timed
 * until the output topic holds every event) and a steady rate ({@code --rate R}: produced at R events/s while it
 * runs, to see the commit lag under load). Reports events/s, the ratio to the ceiling, the group's commit lag
 * (records produced but not committed, sampled every 250 ms), Switchboard's settled-note lag (records produced past
 * the settled position noted in the commit metadata: what a restart would deliver again) and the producer batch
 * sizes its target achieved (its {@code switchboard_kafka_producer_*} gauges).
 *
 * <pre>mvn -q -Pbench test-compile exec:exec -Dbench.main=io.switchboard.bench.KafkaThroughput \
 *     -Dbench.args="--events 100000 --partitions 4 --rate 0"</pre>
 */
public final class KafkaThroughput {

  private final KafkaBroker broker;
  private final int events;
  private final int partitions;
  private final int rate;
  private final HttpClient http = HttpClient.newHttpClient();

  private KafkaThroughput(KafkaBroker broker, int events, int partitions, int rate) {
    this.broker = broker;
    this.events = events;
    this.partitions = partitions;
    this.rate = rate;
  }

  public static void main(String[] args) throws Exception {
    int events = 100_000;
    int partitions = 4;
    int rate = 0;
    String only = "both";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--events" -> events = Integer.parseInt(args[++i]);
        case "--partitions" -> partitions = Integer.parseInt(args[++i]);
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--only" -> only = args[++i];
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    try (KafkaBroker broker = KafkaBroker.start()) {
      KafkaThroughput bench = new KafkaThroughput(broker, events, partitions, rate);
      List<ProducerRecord<String, byte[]>> records = bench.records();
      Result ceiling = only.equals("switchboard") ? null : bench.run("ceiling", records);
      Result switchboard = only.equals("ceiling") ? null : bench.run("switchboard", records);
      if (ceiling != null && switchboard != null) {
        System.out.printf(Locale.ROOT, "ratio switchboard/ceiling: %.3f%n", switchboard.perSecond / ceiling.perSecond);
      }
    }
  }

  private record Result(double perSecond, long maxLag, long meanLag) {
  }

  /** One forwarder over fresh topics: produce (all first, or paced alongside), time until the output is complete. */
  private Result run(String kind, List<ProducerRecord<String, byte[]>> template) throws Exception {
    String in = kind + "-in-" + UUID.randomUUID();
    String out = kind + "-out-" + UUID.randomUUID();
    String group = kind + "-" + UUID.randomUUID();
    broker.createTopic(in, partitions);
    broker.createTopic(out, partitions);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(template.size());
    template.forEach(r -> records.add(new ProducerRecord<>(in, r.key(), r.value())));
    if (rate == 0) {
      broker.produce(records);
    }
    AtomicBoolean stop = new AtomicBoolean();
    Process server = null;
    Thread bare = null;
    Path dir = Files.createTempDirectory("kafka-bench-");
    int port = freePort();
    if (kind.equals("ceiling")) {
      bare = new Thread(() -> bareForward(in, out, group, stop), "bare-forwarder");
      bare.start();
    } else {
      server = launch(dir, port, in, out, group);
    }
    long started = System.nanoTime();
    Thread producer = null;
    if (rate > 0) {
      producer = new Thread(() -> produceAt(records, rate), "paced-producer");
      producer.start();
    }
    long maxLag = 0;
    long lagSum = 0;
    long lagSamples = 0;
    long maxNoteLag = 0;
    long noteLagSum = 0;
    long done;
    while (true) {
      long written = sum(endOffsets(out));
      Map<TopicPartition, OffsetAndMetadata> committed = committed(group);
      long end = sum(endOffsets(in));
      long lag = end - committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
      long noteLag = end - committed.values().stream().mapToLong(c -> OffsetNote.parse(c.metadata())
          .orElse(c.offset())).sum();
      maxLag = Math.max(maxLag, lag);
      lagSum += lag;
      maxNoteLag = Math.max(maxNoteLag, noteLag);
      noteLagSum += noteLag;
      lagSamples++;
      if (written >= records.size()) {
        done = System.nanoTime();
        break;
      }
      if (server != null && !server.isAlive()) {
        throw new IllegalStateException("switchboard exited; see " + dir);
      }
      Thread.sleep(250);
    }
    double seconds = (done - started) / 1e9;
    double perSecond = records.size() / seconds;
    String batches = server == null ? "" : " producer " + producerGauges(port);
    System.out.printf(Locale.ROOT, "%s: %d events over %d partitions in %.1f s = %.0f events/s (rate %s); commit lag "
            + "max %d, mean %d records; settled-note lag max %d, mean %d records%s%n", kind, records.size(), partitions,
        seconds, perSecond, rate == 0 ? "backlog" : rate + "/s", maxLag, lagSum / Math.max(1, lagSamples), maxNoteLag,
        noteLagSum / Math.max(1, lagSamples), batches);
    stop.set(true);
    if (producer != null) {
      producer.join();
    }
    if (bare != null) {
      bare.join();
    }
    if (server != null) {
      server.destroy();
      server.waitFor();
    }
    return new Result(perSecond, maxLag, lagSum / Math.max(1, lagSamples));
  }

  /** Consume, produce, and commit each batch once every record of it is acknowledged: the least a safe forwarder does. */
  private void bareForward(String in, String out, String group, AtomicBoolean stop) {
    Map<String, Object> consumerConfig = new HashMap<>();
    consumerConfig.put("bootstrap.servers", broker.bootstrapServers());
    consumerConfig.put("group.id", group);
    consumerConfig.put("enable.auto.commit", "false");
    consumerConfig.put("auto.offset.reset", "earliest");
    consumerConfig.put("key.deserializer", ByteArrayDeserializer.class.getName());
    consumerConfig.put("value.deserializer", ByteArrayDeserializer.class.getName());
    Map<String, Object> producerConfig = new HashMap<>();
    producerConfig.put("bootstrap.servers", broker.bootstrapServers());
    producerConfig.put("enable.idempotence", "true");
    producerConfig.put("acks", "all");
    producerConfig.put("linger.ms", "5");
    producerConfig.put("batch.size", String.valueOf(64 * 1024));
    producerConfig.put("compression.type", "lz4");
    producerConfig.put("key.serializer", ByteArraySerializer.class.getName());
    producerConfig.put("value.serializer", ByteArraySerializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig);
         KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerConfig)) {
      consumer.subscribe(List.of(in));
      while (!stop.get()) {
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(100));
        if (batch.isEmpty()) {
          continue;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          producer.send(new ProducerRecord<>(out, r.key(), r.value()));
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        producer.flush();
        consumer.commitSync(offsets);
      }
    }
  }

  private Process launch(Path dir, int port, String in, String out, String group) throws IOException, InterruptedException {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "bench")
            .put("bootstrapServers", broker.bootstrapServers()).put("topics", new JsonArray().add(in))
            .put("groupId", group)))
        .put("targets", new JsonArray().add(new JsonObject().put("id", "out").put("type", "kafka")
            .put("bootstrapServers", broker.bootstrapServers()).put("topic", out)))
        .put("deadLetters", new JsonObject().put("dir", dir.resolve("dlq").toString()))
        .put("park", new JsonObject().put("dir", dir.resolve("park").toString()))
        .put("journal", new JsonObject().put("dir", dir.resolve("journal").toString()))
        .put("checkpoint", new JsonObject().put("dir", dir.resolve("snapshots").toString()))
        .put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()))
        .put("state", new JsonObject().put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString()));
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, config.encodePrettily());
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-jar", Path.of("target/switchboard.jar").toAbsolutePath().toString(), "-conf",
        file.toString()));
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.log").toFile()).redirectError(dir.resolve("err.log").toFile()).start();
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // starting
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new IllegalStateException("switchboard not ready; see " + dir);
  }

  /** The target's producer gauges, from /metrics. */
  private String producerGauges(int port) {
    try {
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      StringBuilder out = new StringBuilder();
      for (String line : metrics.split("\n")) {
        if (line.startsWith("switchboard_kafka_producer_records_per_request_avg")
            || line.startsWith("switchboard_kafka_producer_batch_bytes_avg")
            || line.startsWith("switchboard_kafka_producer_compression_rate_avg")) {
          out.append(line.replaceAll("\\{[^}]*}", "")).append("; ");
        }
      }
      return out.toString();
    } catch (IOException | InterruptedException e) {
      return "(metrics unavailable: " + e + ")";
    }
  }

  private void produceAt(List<ProducerRecord<String, byte[]>> records, int perSecond) {
    int batch = Math.max(1, perSecond / 20);
    long started = System.nanoTime();
    for (int i = 0; i < records.size(); i += batch) {
      long due = started + (long) (i / (double) perSecond * 1e9);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          return;
        }
      }
      broker.produce(records.subList(i, Math.min(records.size(), i + batch)));
    }
  }

  private Map<TopicPartition, Long> endOffsets(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", broker.bootstrapServers());
    config.put("key.deserializer", ByteArrayDeserializer.class.getName());
    config.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        tps.add(new TopicPartition(topic, p));
      }
      return consumer.endOffsets(tps, Duration.ofSeconds(10));
    }
  }

  /** The group's commits; none while the group coordinator (its offsets topic) is still being created. */
  private Map<TopicPartition, OffsetAndMetadata> committed(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> all = broker.admin().listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(10, java.util.concurrent.TimeUnit.SECONDS);
      Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
      all.forEach((tp, c) -> {
        if (c != null) {
          present.put(tp, c);
        }
      });
      return present;
    } catch (Exception notYet) {
      return Map.of(); // the group coordinator (its offsets topic) may still be being created
    }
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private List<ProducerRecord<String, byte[]>> records() {
    List<JsonArray> conversations = GeneratedConversations.voice("kafka-bench", (events + 9) / 10, 8);
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
    // Interleaved as live traffic is: event e of every conversation, then e + 1.
    for (int e = 0; e < 10 && records.size() < events; e++) {
      for (JsonArray conversation : conversations) {
        if (records.size() == events) {
          break;
        }
        JsonObject event = conversation.getJsonObject(e);
        records.add(new ProducerRecord<>("", event.getJsonObject("detail").getJsonObject("eventBody")
            .getString("conversationId"), event.toBuffer().getBytes()));
      }
    }
    return records;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
