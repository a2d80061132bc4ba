package io.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A kinesalite process (an in-memory Kinesis emulator, Node.js) for tests: installed from npm into
 * {@code target/kinesalite} when it is not there yet, so a plain {@code mvn verify} on a machine with Node and npm
 * needs nothing else, started on a free loopback port and stopped by {@link #close()} (or, should a test run be
 * killed, by a shutdown hook).
 *
 * <p>Streams are created without the usual CREATING delay ({@code --createStreamMs 0}). kinesalite enforces the
 * old size limits (1 MiB of data per record, 7 MiB per HTTP body) but no throughput limit at all, so throttling
 * is injected by {@link KinesisProxy}.
 */
public final class Kinesalite implements AutoCloseable {

  public static final String VERSION = "3.3.3";
  private static final Path HOME = Path.of("target", "kinesalite").toAbsolutePath();
  private static final Path CLI = HOME.resolve("node_modules/kinesalite/cli.js");
  private static final long INSTALL_TIMEOUT_SECONDS = 300;
  private static final long START_TIMEOUT_MILLIS = 20_000;

  private final Process process;
  private final int port;
  private final Thread reaper;

  private Kinesalite(Process process, int port) {
    this.process = process;
    this.port = port;
    this.reaper = new Thread(process::destroyForcibly, "kinesalite-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** Installs kinesalite if needed and starts it; blocking, so call it from a test thread, never an event loop. */
  public static Kinesalite start() {
    install();
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = FreePorts.one();
      try {
        return startOn(port);
      } catch (IOException e) {
        last = e; // most likely the port was taken between probing and binding: try another
      }
    }
    throw new UncheckedIOException("kinesalite did not start", last);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException shuttingDown) {
      // the JVM is already exiting; the hook runs anyway and finds the process gone
    }
  }

  /** {@code npm install} into target/kinesalite unless that version is there; a file lock serialises test JVMs. */
  private static void install() {
    try {
      Files.createDirectories(HOME);
      try (FileChannel lockFile = FileChannel.open(HOME.resolve(".install.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        lockFile.lock(); // held until the channel closes
        if (installed()) {
          return;
        }
        Path log = HOME.resolve("npm-install.log");
        List<String> command = List.of(executable("npm"), "install", "--no-audit", "--no-fund", "--no-save",
            "--prefix", HOME.toString(), "kinesalite@" + VERSION);
        Process npm = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm install kinesalite@" + VERSION + " took over "
              + INSTALL_TIMEOUT_SECONDS + " s; see " + log);
        }
        if (npm.exitValue() != 0 || !installed()) {
          throw new IllegalStateException("npm install kinesalite@" + VERSION + " failed (exit " + npm.exitValue()
              + "): " + Files.readString(log));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install kinesalite into " + HOME
          + " (the Kinesis tests need Node.js and npm on the PATH)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing kinesalite", e);
    }
  }

  private static boolean installed() throws IOException {
    Path manifest = HOME.resolve("node_modules/kinesalite/package.json");
    return Files.exists(CLI) && Files.exists(manifest)
        && Files.readString(manifest).contains("\"version\": \"" + VERSION + "\"");
  }

  private static Kinesalite startOn(int port) throws IOException {
    Path log = HOME.resolve("kinesalite-" + port + ".log");
    Process process = new ProcessBuilder(executable("node"), CLI.toString(), "--port", Integer.toString(port),
        "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "64")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("kinesalite exited with " + process.exitValue() + ": " + Files.readString(log));
      }
      // Its own "Listening at" line, not a successful connect, which another process on the port would also give.
      if (Files.readString(log).contains("Listening at") && listening(port)) {
        return new Kinesalite(process, port);
      }
      try {
        Thread.sleep(50); // a child process has no completion to wait on; polling its port is the readiness check
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
        throw new IOException("interrupted while starting kinesalite", e);
      }
    }
    process.destroyForcibly();
    throw new IOException("kinesalite did not listen on port " + port + " within " + START_TIMEOUT_MILLIS + " ms");
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String executable(String name) {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
    return windows && name.equals("npm") ? "npm.cmd" : name;
  }
}
