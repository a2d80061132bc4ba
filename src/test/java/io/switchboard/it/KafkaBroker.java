package io.switchboard.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real Apache Kafka {@value #VERSION} broker for tests: KRaft mode, one node that is both broker and controller (no
 * ZooKeeper), run as a separate JVM from the test class path (the {@code kafka_2.13} test dependency) on two free
 * loopback ports, with its data and its log file in a fresh directory under {@code target/kafka-broker}. Stopped by
 * {@link #close()} or, should a test run be killed, by a shutdown hook, which also removes the directory.
 *
 * <p>Starting one costs about three seconds (formatting the storage in a short-lived JVM, then the broker's own
 * start), so test classes normally share {@link #shared()}, stopped when the test JVM exits; give each test its own
 * topic. Topics are never created implicitly ({@code auto.create.topics.enable=false}): {@link #createTopic} them.
 *
 * <p>{@link #startWithSasl} adds a {@code SASL_PLAINTEXT} listener for one user (PLAIN and SCRAM-SHA-512), for
 * tests of client authentication; the PLAINTEXT listener stays, and every helper here uses it.
 *
 * <p>Every method blocks: call them from test threads, never from an event loop. The broker's log (WARN and
 * above) goes to {@code broker.log} in its directory, never to the test output; a failed start quotes its tail.
 */
public final class KafkaBroker implements AutoCloseable {

  public static final String VERSION = "3.7.1";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final Path HOME = Path.of("target", "kafka-broker").toAbsolutePath();
  private static final long START_TIMEOUT_MILLIS = 60_000;
  private static final long FORMAT_TIMEOUT_SECONDS = 60;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final int LOG_TAIL_LINES = 40;
  private static final String HEAP = "-Xmx384m";
  /** Names and passwords that need no quoting, neither in a JAAS line nor in {@code format --add-scram}. */
  private static final Pattern SASL_TOKEN = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static KafkaBroker shared;

  private final Process process;
  private final Path dir;
  private final int port;
  /** The SASL_PLAINTEXT listener's port, or -1 without one. */
  private final int saslPort;
  private final Thread reaper;
  private Admin admin;
  private Producer<String, byte[]> producer;
  private volatile boolean closed;

  private KafkaBroker(Process process, Path dir, int port, int saslPort) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    this.saslPort = saslPort;
    this.reaper = new Thread(() -> kill(process, dir), "kafka-broker-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * The broker every test class of this JVM shares, started on first use and stopped when the JVM exits. Do not
   * {@link #close()} it.
   */
  public static synchronized KafkaBroker shared() {
    if (shared == null || shared.closed) {
      shared = start();
    }
    return shared;
  }

  /** Formats and starts a broker of its own; blocking, so call it from a test thread, never an event loop. */
  public static KafkaBroker start() {
    return start(null);
  }

  /**
   * As {@link #start()}, plus a {@code SASL_PLAINTEXT} listener ({@link #saslBootstrapServers()}) on which
   * {@code user} authenticates with {@code password} by {@code PLAIN} or {@code SCRAM-SHA-512} (the SCRAM
   * credential is written into the storage when it is formatted, so it exists from the first request). Any other
   * name or password fails authentication there. Authenticated users may do anything: there is no authorizer.
   * {@link #bootstrapServers()} stays PLAINTEXT, for the helpers here and for the broker's own controller traffic.
   *
   * @param user     {@code [A-Za-z0-9._-]}, 1 to 64 characters (no quoting needed anywhere)
   * @param password the same characters
   */
  public static KafkaBroker startWithSasl(String user, String password) {
    return start(new SaslUser(user, password));
  }

  private static KafkaBroker start(SaslUser sasl) {
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Path dir = null;
      try {
        Files.createDirectories(HOME);
        dir = Files.createTempDirectory(HOME, "broker-");
        int[] ports = FreePorts.several(sasl == null ? 2 : 3);
        return startIn(dir, ports[0], ports[1], sasl == null ? -1 : ports[2], sasl);
      } catch (PortTaken e) {
        last = e; // another process took a port between probing and binding: try other ones
        deleteRecursively(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // its directory stays, with the broker's log, for a look
      }
    }
    throw new UncheckedIOException("the Kafka broker did not start", last);
  }

  /** {@code 127.0.0.1:port}, for a client's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /**
   * {@code 127.0.0.1:port} of the {@code SASL_PLAINTEXT} listener of a broker from {@link #startWithSasl}; clients
   * there need {@code security.protocol=SASL_PLAINTEXT} and the user's credentials.
   *
   * @throws IllegalStateException for a broker started without SASL
   */
  public String saslBootstrapServers() {
    if (saslPort < 0) {
      throw new IllegalStateException("this broker has no SASL listener; start it with startWithSasl");
    }
    return "127.0.0.1:" + saslPort;
  }

  /** An admin client on this broker, made once and closed with it; for what the helpers here do not cover. */
  public synchronized Admin admin() {
    if (admin == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-admin");
      admin = Admin.create(config);
    }
    return admin;
  }

  /**
   * Creates a topic (replication factor 1) and returns once every partition has a leader in the broker's metadata,
   * so a client that starts right after finds it.
   */
  public void createTopic(String name, int partitions) {
    get(admin().createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all());
    long deadline = System.currentTimeMillis() + CALL_TIMEOUT.toMillis();
    while (true) {
      TopicDescription described = describedOrNull(name);
      if (described != null && described.partitions().size() == partitions
          && described.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("topic " + name + " has no leader for every partition after "
            + CALL_TIMEOUT.toSeconds() + " s: " + described);
      }
      pause(20); // metadata reaches the broker's cache asynchronously; there is no completion to wait on
    }
  }

  /**
   * The topic's description, or null while the broker's metadata does not know it yet: right after creation,
   * describeTopics may answer UnknownTopicOrPartition (seen in CI under load).
   */
  private TopicDescription describedOrNull(String name) {
    try {
      return get(admin().describeTopics(List.of(name)).allTopicNames()).get(name);
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ExecutionException ee
          && ee.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return null;
      }
      throw e;
    }
  }

  /** Writes one record and waits for its acknowledgement ({@code acks=all}). */
  public void produce(String topic, String key, byte[] value) {
    produce(List.of(new ProducerRecord<>(topic, key, value)));
  }

  /**
   * Writes records (topic, key, value, headers and partition as each says) in the given order with one idempotent
   * producer, and waits until every one is acknowledged.
   */
  public void produce(List<ProducerRecord<String, byte[]>> records) {
    Producer<String, byte[]> p = producer();
    List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> record : records) {
      sent.add(p.send(record));
    }
    p.flush();
    for (Future<RecordMetadata> ack : sent) {
      try {
        ack.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while producing", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("producing to the test broker failed", e);
      }
    }
  }

  /**
   * Every record of {@code topic} from the beginning to the end offsets as they are when called, read with a fresh
   * consumer that belongs to no group (so it commits nothing), sorted by partition, then offset. Empty for a topic
   * that does not exist.
   */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-broker-reader");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, CALL_TIMEOUT)) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, CALL_TIMEOUT);
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + CALL_TIMEOUT.toMillis();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, CALL_TIMEOUT) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("could not read " + topic + " up to " + end + " within "
              + CALL_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            out.add(record); // records written after the end offsets were taken are not part of this read
          }
        }
      }
      out.sort(Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
          .thenComparingLong(ConsumerRecord::offset));
      return out;
    }
  }

  /** The offsets {@code group} has committed, by partition (partitions without a commit are absent). */
  public Map<TopicPartition, Long> committed(String group) {
    Map<TopicPartition, OffsetAndMetadata> offsets =
        get(admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    Map<TopicPartition, Long> out = new HashMap<>();
    offsets.forEach((tp, offset) -> {
      if (offset != null) {
        out.put(tp, offset.offset());
      }
    });
    return out;
  }

  /** The offset {@code group} has committed for {@code tp}, or -1 when it has committed none. */
  public long committedOffset(String group, TopicPartition tp) {
    return committed(group).getOrDefault(tp, -1L);
  }

  /** Stops the broker at once (its data is thrown away, so nothing is worth a graceful shutdown) and removes its directory. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Clients first: closed after the broker, they would retry against a dead port and log about it.
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    kill(process, dir);
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting; the hook runs anyway and finds the process gone
    }
  }

  private synchronized Producer<String, byte[]> producer() {
    if (producer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "kafka-broker-producer");
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000); // a missing topic fails in 10 s, not the default 60
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      producer = new KafkaProducer<>(config);
    }
    return producer;
  }

  // --- process ---------------------------------------------------------------------------------------------

  private static KafkaBroker startIn(Path dir, int port, int controllerPort, int saslPort, SaslUser sasl)
      throws IOException {
    long started = System.nanoTime();
    Path properties = dir.resolve("server.properties");
    Path logback = dir.resolve("logback.xml");
    Path log = dir.resolve("broker.log");
    Files.writeString(properties, serverProperties(dir.resolve("data"), port, controllerPort, saslPort, sasl));
    // kafka_2.13 comes without log4j here: the broker logs through SLF4J to the logback of the test class path, which
    // would pick up logback-test.xml (INFO). This file keeps its log to warnings; stdout goes to broker.log anyway.
    Files.writeString(logback, """
        <configuration>
          <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="OUT"/></root>
        </configuration>
        """);
    format(dir, properties, logback, sasl);
    Process process = new ProcessBuilder(javaCommand(logback, "kafka.Kafka", properties.toString()))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      awaitReady(process, port, log);
    } catch (IOException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
    LOG.info("Kafka {} broker on {}{} started in {} ms (data and broker.log in {})", VERSION, "127.0.0.1:" + port,
        sasl == null ? "" : " and SASL_PLAINTEXT 127.0.0.1:" + saslPort,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dir);
    return new KafkaBroker(process, dir, port, saslPort);
  }

  /**
   * KRaft, one node as broker and controller. Internal topics have one partition and one replica, so the first
   * consumer group and the first idempotent producer do not wait for 50 partitions to be created; small segments,
   * indexes and cleaner buffer, so the broker fits its small heap and starts quickly. With {@code sasl}, a third
   * listener on {@code saslPort}; controller and inter-broker traffic stay on the PLAINTEXT ones.
   */
  private static String serverProperties(Path data, int port, int controllerPort, int saslPort, SaslUser sasl) {
    String listeners = "PLAINTEXT://127.0.0.1:" + port;
    String protocols = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT";
    List<String> saslLines = List.of();
    if (sasl != null) {
      listeners += ",SASL_PLAINTEXT://127.0.0.1:" + saslPort;
      protocols += ",SASL_PLAINTEXT:SASL_PLAINTEXT";
      // PLAIN checks the user_<name> entries of its JAAS line; SCRAM checks the credential format put in the metadata.
      saslLines = List.of(
          "sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-512",
          "listener.name.sasl_plaintext.plain.sasl.jaas.config="
              + "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + sasl.name() + "=\""
              + sasl.password() + "\";",
          "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
              + "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
    List<String> lines = new ArrayList<>(List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=" + listeners + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=" + listeners,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=" + protocols,
        "log.dirs=" + data,
        "num.partitions=1",
        "default.replication.factor=1",
        "min.insync.replicas=1",
        "auto.create.topics.enable=false",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "transaction.state.log.num.partitions=1",
        "group.initial.rebalance.delay.ms=0",
        // lets consumer tests use short session timeouts, so a rebalance after a consumer dies takes a second, not 45
        "group.min.session.timeout.ms=1000",
        "num.network.threads=2",
        "num.io.threads=2",
        "background.threads=2",
        "num.recovery.threads.per.data.dir=1",
        "log.segment.bytes=8388608",
        "log.index.size.max.bytes=1048576",
        "log.cleaner.threads=1",
        "log.cleaner.dedupe.buffer.size=4194304"));
    lines.addAll(saslLines);
    lines.add("");
    return String.join("\n", lines);
  }

  /**
   * {@code kafka-storage.sh format}: a KRaft log dir must carry a cluster id before the broker starts. A SCRAM
   * credential goes in here too ({@code --add-scram}, KIP-900): created later through the Admin API, it would reach
   * the broker's credential cache asynchronously, and a client connecting right after could fail to authenticate.
   */
  private static void format(Path dir, Path properties, Path logback, SaslUser sasl) throws IOException {
    Path log = dir.resolve("format.log");
    List<String> args = new ArrayList<>(List.of("format", "-t", Uuid.randomUuid().toString(), "-c",
        properties.toString()));
    if (sasl != null) {
      args.addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=" + sasl.name() + ",password=" + sasl.password() + "]"));
    }
    Process format = new ProcessBuilder(javaCommand(logback, "kafka.tools.StorageTool", args.toArray(String[]::new)))
        .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      if (!format.waitFor(FORMAT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new IllegalStateException("formatting the Kafka storage took over " + FORMAT_TIMEOUT_SECONDS
            + " s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      format.destroyForcibly();
      throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
    }
    if (format.exitValue() != 0) {
      throw new IllegalStateException("formatting the Kafka storage failed (exit " + format.exitValue() + "):\n"
          + tail(log));
    }
  }

  /**
   * Polls until the broker answers a describeCluster. The port is probed first, so the admin client does not log
   * connection failures while the JVM is still starting.
   */
  private static void awaitReady(Process process, int port, Path log) throws IOException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    Map<String, Object> config = new HashMap<>();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-broker-probe");
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
    Admin probe = null;
    try {
      while (System.currentTimeMillis() < deadline) {
        if (!process.isAlive()) {
          String tail = tail(log);
          if (tail.contains("Address already in use")) {
            throw new PortTaken("port " + port + " or its controller port was taken: " + tail);
          }
          throw new IllegalStateException("the Kafka broker exited with " + process.exitValue() + ":\n" + tail);
        }
        if (listening(port)) {
          probe = probe != null ? probe : Admin.create(config);
          try {
            if (!probe.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
              return;
            }
          } catch (ExecutionException | TimeoutException notYet) {
            // listening, but not serving yet (the broker registers with its controller after binding)
          }
        }
        pause(100); // a child process has no completion to wait on; polling it is the readiness check
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the Kafka broker", e);
    } finally {
      if (probe != null) {
        probe.close(Duration.ofSeconds(2));
      }
    }
    throw new IllegalStateException("the Kafka broker did not answer on 127.0.0.1:" + port + " within "
        + START_TIMEOUT_MILLIS / 1000 + " s; last lines of " + log + ":\n" + tail(log));
  }

  /** The test JVM's own java, with the class path surefire gave the tests (java.class.path is only its booter). */
  private static List<String> javaCommand(Path logback, String mainClass, String... args) {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    String javaBinary = Files.isExecutable(java) ? java.toString()
        : ProcessHandle.current().info().command().orElse("java");
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(javaBinary, HEAP, "-Xms64m", "-XX:+UseSerialGC",
        // C1 only: the broker lives for one test run, and C2's compile threads would compete for the two cores
        "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true", "-Dlogback.configurationFile=" + logback,
        "-cp", classPath, mainClass));
    command.addAll(List.of(args));
    return command;
  }

  private static void kill(Process process, Path dir) {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteRecursively(dir);
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: it is under target/, and a later mvn clean removes what is left
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future) {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("admin call to the test broker failed", e);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code n} distinct free ports: each socket stays bound until all are chosen, so none is picked twice. */

  /** The one SASL user of a broker from {@link #startWithSasl}. */
  private record SaslUser(String name, String password) {
    SaslUser {
      for (String token : new String[] {name, password}) {
        if (token == null || !SASL_TOKEN.matcher(token).matches()) {
          throw new IllegalArgumentException("SASL names and passwords here must match " + SASL_TOKEN.pattern());
        }
      }
    }
  }

  /** The broker could not bind: worth another try on other ports. */
  private static final class PortTaken extends IOException {
    private static final long serialVersionUID = 1L;

    PortTaken(String message) {
      super(Objects.requireNonNull(message));
    }
  }
}
