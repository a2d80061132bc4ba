package io.switchboard.it;

import io.vertx.core.json.JsonObject;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the fat jar as a user would: {@code java -jar target/switchboard.jar} with no -conf, in an empty
 * working directory, so that only the embedded defaults (config, schemas, lifecycle) are available.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SwitchboardProcessIT {

  private static final Path JAR = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar")).toAbsolutePath();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @TempDir
  Path workDir;

  private Process launch(List<String> args) throws IOException {
    // With the shipped JVM flags, as the README runs it.
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-jar", JAR.toString()));
    command.addAll(args);
    return new ProcessBuilder(command).directory(workDir.toFile())
        .redirectOutput(workDir.resolve("stdout.log").toFile())
        .redirectError(workDir.resolve("stderr.log").toFile())
        .start();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080" + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/events")).timeout(Duration.ofSeconds(5))
        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitReady(Process process) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      assertTrue(process.isAlive(), () -> "server exited early: " + read("stderr.log") + read("stdout.log"));
      try {
        if (get("/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("server not ready in time: " + read("stdout.log"));
  }

  private String read(String file) {
    try {
      return Files.readString(workDir.resolve(file));
    } catch (IOException e) {
      return "";
    }
  }

  @Test
  void verifiesThatTheJarRunsOnItsEmbeddedDefaultsAndDrainsOnSigterm() throws Exception {
    Process process = launch(List.of());
    try {
      awaitReady(process);
      for (String sample : Samples.VOICE) {
        HttpResponse<String> r = post(Samples.bytes(sample).getBytes());
        assertEquals(202, r.statusCode(), r.body());
      }
      Path out = workDir.resolve("data/out/events.jsonl");
      long deadline = System.currentTimeMillis() + 30_000;
      while (System.currentTimeMillis() < deadline && (!Files.exists(out) || Files.readAllLines(out).size() < 10)) {
        Thread.sleep(100);
      }
      List<String> lines = Files.readAllLines(out);
      assertEquals(10, lines.size());
      assertEquals("closed", new JsonObject(lines.get(9)).getString("state"));
      HttpResponse<String> conversation = get("/conversations/" + Samples.VOICE_ID);
      assertEquals(200, conversation.statusCode());
      String metrics = get("/metrics").body();
      assertTrue(metrics.contains("switchboard_events_ingested_total"), metrics);
      assertTrue(metrics.contains("vertx_http_server_requests_total"), "ingest's HTTP meters stay");
      assertFalse(metrics.contains("vertx_eventbus_"), "Vert.x's per-message event-bus meters are off");
      assertFalse(metrics.contains("vertx_http_client_"), "Vert.x's HTTP-client meters are off");
      assertTrue(read("stdout.log").contains("Switchboard ready"), read("stdout.log"));
      assertTrue(read("stdout.log").contains("; " + Runtime.getRuntime().availableProcessors() + " event loops"),
          "one event loop per core by default: " + read("stdout.log"));
      assertTrue(read("stdout.log").contains("; max heap 352 MB"), "the shipped -Xmx352m: " + read("stdout.log"));
      assertFalse(read("stdout.log").contains("the configured bounds hold"), "the shipped bounds fit the shipped heap");
    } finally {
      process.destroy();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
    assertTrue(read("stdout.log").contains("drained"), read("stdout.log"));
  }

  @Test
  void verifiesThatTheConfigSizesTheEventLoops() throws Exception {
    Files.writeString(workDir.resolve("loops.json"), "{\"eventLoops\": 3}");
    Process process = launch(List.of("-conf", "loops.json"));
    try {
      awaitReady(process);
      assertTrue(read("stdout.log").contains("; 3 event loops"), read("stdout.log"));
    } finally {
      process.destroy();
      assertTrue(process.waitFor(60, TimeUnit.SECONDS), "server did not stop on SIGTERM");
    }
  }

  @Test
  void verifiesThatABadConfigFailsFastNamingTheKey() throws Exception {
    Files.writeString(workDir.resolve("bad.json"), "{\"reorder\": {\"windowMs\": -5}}");
    Process process = launch(List.of("-conf", "bad.json"));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, process.exitValue());
    assertTrue(read("stderr.log").contains("reorder.windowMs"), read("stderr.log"));
  }

  @Test
  void verifiesThatAMissingConfigFileFailsFast() throws Exception {
    Process process = launch(List.of("-conf", "nope.json"));
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertNotEquals(0, process.exitValue());
    assertTrue(read("stderr.log").contains("nope.json"), read("stderr.log"));
  }
}
