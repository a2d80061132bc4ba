package io.switchboard.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.KafkaSourceIntegrationTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code java -jar} with a {@code kafka} source and a {@code kafka} target that both authenticate by SASL on a real
 * broker's {@code SASL_PLAINTEXT} listener ({@link KafkaBroker#startWithSasl}), the password given only through the
 * process environment: with the right password the voice sample conversation goes through, in order, with idempotency
 * keys, for PLAIN and for SCRAM-SHA-512; with a wrong one nothing is consumed, {@code /ready} says why and the
 * server stays up; and neither password ever reaches the process's output.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KafkaSaslIT {

  private static final Path JAR = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"))
      .toAbsolutePath();
  private static final String USER = "switchboard";
  /** Random, so a match in the logs can only be this password, never a coincidence. */
  private static final String PASSWORD = "pw-" + UUID.randomUUID().toString().replace("-", "");
  private static final String PASSWORD_ENV = "KAFKA_PASSWORD";

  private static KafkaBroker broker;

  @TempDir
  Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final List<Process> processes = new ArrayList<>();

  @BeforeAll
  static void startBroker() {
    // Its own broker: the shared one has no SASL listener, and these tests must not depend on others' topics.
    broker = KafkaBroker.startWithSasl(USER, PASSWORD);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @AfterEach
  void stopProcesses() throws InterruptedException {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
  }

  /** The harness itself: without this, a server that connects no matter what would look like it authenticates. */
  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
  void verifiesThatTheSaslListenerAcceptsTheUserAndRefusesAWrongPassword(String mechanism) throws Exception {
    String topic = "sasl-probe-" + UUID.randomUUID();
    broker.createTopic(topic, 1);

    try (Admin right = Admin.create(saslClient(mechanism, PASSWORD))) {
      assertTrue(right.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic));
    }
    try (Admin wrong = Admin.create(saslClient(mechanism, PASSWORD + "x"))) {
      ExecutionException refused = assertThrows(ExecutionException.class,
          () -> wrong.listTopics().names().get(30, TimeUnit.SECONDS));
      assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PLAIN", "SCRAM-SHA-512"})
  void verifiesThatEventsGoFromASaslSourceToASaslTargetInOrderAndThePasswordIsNeverLogged(String mechanism)
      throws Exception {
    String in = "sasl-in-" + UUID.randomUUID();
    String out = "sasl-out-" + UUID.randomUUID();
    broker.createTopic(in, 3);
    broker.createTopic(out, 3);
    broker.produce(voiceSamples(in));
    int port = FreePorts.one();
    Path config = writeConfig(in, out, mechanism, port);

    Process server = launch(config, PASSWORD);
    awaitReady(server, port);
    awaitTrue(() -> broker.readAll(out).size() >= Samples.VOICE.size(), 60_000,
        () -> "records in " + out + ": " + broker.readAll(out).size() + " of " + Samples.VOICE.size());

    List<ConsumerRecord<String, byte[]>> records = broker.readAll(out);
    assertEquals(Samples.VOICE.size(), records.size(), "each event once");
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      ConsumerRecord<String, byte[]> record = records.get(i);
      // one key, so one partition: readAll's partition-then-offset order is the order they were written in
      assertEquals(Samples.json(Samples.VOICE.get(i)), new JsonObject(new String(record.value(),
          StandardCharsets.UTF_8)), "event " + i + " in the order produced, the envelope verbatim");
      assertEquals(Samples.VOICE_ID, record.key());
      String key = header(record, "idempotency-key");
      assertNotNull(key, "idempotency-key header of event " + i);
      assertEquals(32, key.length(), key);
      assertTrue(keys.add(key), "idempotency key " + key + " given twice");
    }
    String logs = stopAndReadLogs(server, config);
    assertTrue(logs.contains("kafka source [kafka-in-0] assigned"), "the logs read are the server's:\n" + logs);
    assertFalse(logs.contains(PASSWORD), "the password is in the server's output");
  }

  @Test
  void verifiesThatAWrongPasswordStopsConsumptionVisiblyWithoutTakingTheServerDownOrLoggingThePassword()
      throws Exception {
    String in = "sasl-in-" + UUID.randomUUID();
    String out = "sasl-out-" + UUID.randomUUID();
    String wrongPassword = "wrong-" + UUID.randomUUID().toString().replace("-", "");
    broker.createTopic(in, 3);
    broker.createTopic(out, 3);
    broker.produce(voiceSamples(in));
    int port = FreePorts.one();
    Path config = writeConfig(in, out, "PLAIN", port);

    Process server = launch(config, wrongPassword);
    awaitReady(server, port);
    awaitTrue(() -> source(port).getValue("lastError") != null, 30_000,
        () -> "no lastError in /ready: " + source(port).encode());
    // Long enough for the right password to have delivered everything (the other test takes a few seconds), and
    // for the consumer to have failed and retried several times.
    Thread.sleep(8_000);

    JsonObject source = source(port);
    assertTrue(source.getString("lastError").contains("SaslAuthenticationException"), source.encode());
    assertEquals("failing", source.getString("state"), source.encode());
    assertEquals("DEGRADED", new JsonObject(get(port, "/ready").body()).getString("status"),
        "a source that cannot consume degrades /ready");
    assertEquals(new JsonArray(), source.getJsonArray("partitions"), "no partitions while unauthenticated");
    assertEquals(List.of(), broker.readAll(out), "nothing can have been consumed, so nothing written");
    assertEquals(Map.of(), broker.committed(groupOf(in)), "nothing consumed, nothing committed");
    assertTrue(server.isAlive(), "the server exited");
    assertEquals(200, get(port, "/health").statusCode(), "the server still answers /health");
    String logs = stopAndReadLogs(server, config);
    assertTrue(logs.contains("Authentication failed"), "the logs say why nothing is consumed:\n" + logs);
    assertFalse(logs.contains(wrongPassword), "the given password is in the server's output");
    assertFalse(logs.contains(PASSWORD), "the broker's password is in the server's output");
  }

  /**
   * A SCRAM user created only after the server started (credentials fixed while it runs): the source consumes once
   * they work, and the target, whose idempotent producer would otherwise stay stuck after its authentication failure
   * (KAFKA-20237), builds a new producer and writes everything, once and in order; /ready stops saying failing.
   */
  @Test
  void verifiesThatSourceAndTargetRecoverOnceTheCredentialsWork() throws Exception {
    String in = "sasl-in-" + UUID.randomUUID();
    String out = "sasl-out-" + UUID.randomUUID();
    String lateUser = "late-" + UUID.randomUUID().toString().substring(0, 8);
    broker.createTopic(in, 3);
    broker.createTopic(out, 3);
    broker.produce(voiceSamples(in));
    int port = FreePorts.one();
    Path config = writeConfig(in, out, "SCRAM-SHA-512", port, lateUser);

    Process server = launch(config, PASSWORD);
    awaitReady(server, port);
    awaitTrue(() -> "failing".equals(source(port).getString("state")), 30_000,
        () -> "not failing without its user: " + source(port).encode());
    broker.admin().alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
        lateUser, new org.apache.kafka.clients.admin.ScramCredentialInfo(
            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), PASSWORD)))
        .all().get(30, TimeUnit.SECONDS);

    awaitTrue(() -> broker.readAll(out).size() >= Samples.VOICE.size(), 90_000,
        () -> "records in " + out + ": " + broker.readAll(out).size() + " of " + Samples.VOICE.size());
    List<ConsumerRecord<String, byte[]>> records = broker.readAll(out);
    assertEquals(Samples.VOICE.stream().map(name -> Samples.json(name).getString("id")).toList(),
        records.stream().map(r -> new JsonObject(new String(r.value(), StandardCharsets.UTF_8)).getString("id"))
            .toList(), "every event once, in order");
    awaitTrue(() -> "consuming".equals(source(port).getString("state")), 30_000,
        () -> "still failing: " + source(port).encode());
    assertFalse(stopAndReadLogs(server, config).contains(PASSWORD), "the password is in the server's output");
  }

  // --- rig -------------------------------------------------------------------------------------------------

  /** Client properties for the SASL listener, as KafkaConnection builds them. */
  private static Map<String, Object> saslClient(String mechanism, String password) {
    String module = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
        : "org.apache.kafka.common.security.scram.ScramLoginModule";
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", broker.saslBootstrapServers());
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", mechanism);
    config.put("sasl.jaas.config", module + " required username=\"" + USER + "\" password=\"" + password + "\";");
    config.put("request.timeout.ms", 10_000);
    config.put("default.api.timeout.ms", 20_000);
    return config;
  }

  /** The ten voice envelopes, keyed by their conversation, in conversation order. */
  private static List<ProducerRecord<String, byte[]>> voiceSamples(String topic) {
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (String name : Samples.VOICE) {
      JsonObject event = Samples.json(name);
      records.add(new ProducerRecord<>(topic, event.getJsonObject("detail").getJsonObject("eventBody")
          .getString("conversationId"), event.toBuffer().getBytes()));
    }
    return records;
  }

  private static String groupOf(String topic) {
    return "group-" + topic;
  }

  /** A source on {@code in} and a target on {@code out}, both on the SASL listener; no password in the file. */
  private Path writeConfig(String in, String out, String mechanism, int port) throws IOException {
    return writeConfig(in, out, mechanism, port, USER);
  }

  private Path writeConfig(String in, String out, String mechanism, int port, String user) throws IOException {
    JsonObject sasl = new JsonObject().put("mechanism", mechanism).put("username", user)
        .put("passwordEnv", PASSWORD_ENV);
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("http").put("host", "127.0.0.1").put("port", port);
    config.put("schemas", new JsonObject().put("dir", Path.of("conf/schemas").toAbsolutePath().toString()));
    config.getJsonObject("state").put("lifecycle", Path.of("conf/lifecycle.json").toAbsolutePath().toString());
    config.put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "in")
        .put("bootstrapServers", broker.saslBootstrapServers()).put("securityProtocol", "SASL_PLAINTEXT")
        .put("sasl", sasl.copy()).put("topics", new JsonArray().add(in)).put("groupId", groupOf(in))));
    config.put("targets", new JsonArray().add(new JsonObject().put("id", "out").put("type", "kafka")
        .put("bootstrapServers", broker.saslBootstrapServers()).put("securityProtocol", "SASL_PLAINTEXT")
        .put("sasl", sasl.copy()).put("topic", out)));
    Path file = dir.resolve("switchboard.json");
    Files.writeString(file, config.encodePrettily());
    return file;
  }

  /** {@code java -jar} with the shipped JVM flags; the password reaches it only as {@value #PASSWORD_ENV}. */
  private Process launch(Path config, String password) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-jar", JAR.toString(), "-conf", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(config.getParent().toFile())
        .redirectOutput(config.getParent().resolve("server.out.log").toFile())
        .redirectError(config.getParent().resolve("server.err.log").toFile());
    builder.environment().put(PASSWORD_ENV, password);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /** Stops the server as an operator would (SIGTERM), so its shutdown logging is checked too, and returns its output. */
  private static String stopAndReadLogs(Process server, Path config) throws Exception {
    server.destroy();
    assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
    return Files.readString(config.getParent().resolve("server.out.log"))
        + Files.readString(config.getParent().resolve("server.err.log"));
  }

  private void awaitReady(Process server, int port) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      assertTrue(server.isAlive(), "server exited early");
      try {
        if (get(port, "/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50); // a child process has no completion to wait on
    }
    throw new AssertionError("server not ready in time");
  }

  /** {@code kafka[0]} of {@code /ready}: the source's status; empty when the server does not answer. */
  private JsonObject source(int port) {
    try {
      return new JsonObject(get(port, "/ready").body()).getJsonArray("kafka").getJsonObject(0);
    } catch (IOException | RuntimeException e) {
      return new JsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new JsonObject();
    }
  }

  private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
