package io.switchboard.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar target/switchboard.jar} as the process-level tests run it: the shipped JVM flags, a config file,
 * logs beside it, secrets only through the environment; and the wait until it answers {@code /ready}.
 */
public final class JarProcess {

  /** The fat jar {@code mvn package} built (failsafe passes its path). */
  public static final Path JAR = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar"))
      .toAbsolutePath();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  private JarProcess() {
  }

  /** Starts the server on {@code config}, in {@code dir}, logging to {@code <name>.out.log} and {@code .err.log}. */
  public static Process launch(Path config, Path dir, String name, Map<String, String> env) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(ShippedJvmOptions.read());
    command.addAll(List.of("-jar", JAR.toString(), "-conf", config.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
        .redirectOutput(dir.resolve(name + ".out.log").toFile())
        .redirectError(dir.resolve(name + ".err.log").toFile());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Waits (60 s at most) until {@code server} answers 200 on {@code /ready}; fails if it exits first. */
  public static void awaitReady(Process server, int port) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited early with status " + server.exitValue());
      }
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(50); // a child process has no completion to wait on
    }
    throw new AssertionError("server not ready in time");
  }

  /** Copies a failed run's directory (logs, journals, snapshots, DLQ) to {@code target/<prefix>-<time>}. */
  public static Path keep(Path dir, String prefix) throws IOException {
    Path keep = Path.of("target", prefix + "-" + System.currentTimeMillis());
    try (var files = java.nio.file.Files.walk(dir)) {
      for (Path source : files.toList()) {
        Path target = keep.resolve(dir.relativize(source).toString());
        if (java.nio.file.Files.isDirectory(source)) {
          java.nio.file.Files.createDirectories(target);
        } else {
          java.nio.file.Files.copy(source, target);
        }
      }
    }
    return keep.toAbsolutePath();
  }
}
