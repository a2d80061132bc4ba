package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server under test as a child process: {@code java -jar switchboard.jar -conf server.json}, or the
 * {@link BareForwarder} on the same config ({@link ServerKind}), in a working directory of its own (so its
 * {@code data/} is fresh), stdout and stderr to {@code server.log}, GC log to {@code gc.log}. Measured from
 * outside, as an operator would: CPU time from the OS, peak RSS from {@code /proc/<pid>/status} (VmHWM), GC
 * pauses from the log ({@link GcLog}), stopped with SIGTERM so the graceful drain runs.
 */
final class ServerProcess {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final int port;

  private ServerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Writes {@code config} to {@code dir/server.json} and starts {@code kind} there; does not wait for it.
   * {@code jvmFlags} come after the GC log flag, so a {@code -Xlog} of the caller's can still add to it.
   */
  static ServerProcess start(ServerKind kind, Path jar, Path dir, JsonObject config, List<String> jvmFlags)
      throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, config.encodePrettily());
    List<String> command = new ArrayList<>();
    // The same JVM the benchmark runs on, so both sides of the measurement use one JDK.
    command.add(ProcessHandle.current().info().command().orElse("java"));
    // Relative to the working directory: an absolute path with a ':' in it would end the -Xlog option early.
    command.add(GcLog.JVM_FLAG);
    command.addAll(jvmFlags);
    command.addAll(kind.launch(jar, conf));
    Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("server.log").toFile()).start();
    return new ServerProcess(process, config.getJsonObject("http").getInteger("port"));
  }

  /** A port nobody listens on right now; the server binds it a moment later (good enough on a bench box). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  long pid() {
    return process.pid();
  }

  int port() {
    return port;
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Waits until {@code GET /health} answers 200. */
  void awaitUp(long timeoutMillis) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the server exited with " + process.exitValue() + " while starting; see server.log");
      }
      try {
        if (get("/health").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // Not listening yet.
      }
      Thread.sleep(100);
    }
    throw new IOException("the server did not answer /health within " + timeoutMillis + " ms; see server.log");
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** CPU time the server has used so far, user and system; -1 when the OS does not say. */
  long cpuMillis() {
    return process.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L);
  }

  /** Peak resident set size so far (VmHWM), in kB; -1 when unreadable (not Linux, or the process is gone). */
  long peakRssKb() {
    return peakRssKb(process.pid());
  }

  static long peakRssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Reported as unknown.
    }
    return -1;
  }

  /**
   * Sends SIGTERM ({@link Process#destroy()} on Unix) and waits for the drain; kills it after {@code timeoutMillis}.
   *
   * @return {@code {"exit","stopSeconds","killed"}}
   */
  JsonObject stop(long timeoutMillis) throws InterruptedException {
    long began = System.nanoTime();
    process.destroy();
    boolean exited = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    return new JsonObject().put("exit", process.exitValue()).put("stopSeconds", Rates.seconds(System.nanoTime() - began))
        .put("killed", !exited);
  }

  /** Kills it without a drain: for when the benchmark itself fails. */
  void kill() {
    process.destroyForcibly();
  }
}
