package io.switchboard.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One npm package at one version, installed for tests into its own folder under {@code target/} (once: a later run
 * finds it there), with a file lock so that test JVMs running at once do not install it twice. Needs npm on the PATH
 * and the npm registry; a package that downloads something else when installed does not belong here.
 */
record NodePackage(String name, String version, Path home) {

  private static final long INSTALL_TIMEOUT_SECONDS = 300;

  /** {@code name@version} in {@code target/<folder>}. */
  static NodePackage of(String name, String version, String folder) {
    return new NodePackage(name, version, Path.of("target", folder).toAbsolutePath());
  }

  /** Installs the package unless this version is there already; blocking. Returns this, installed. */
  NodePackage installed() {
    String spec = name + "@" + version;
    try {
      Files.createDirectories(home);
      try (FileChannel lock = FileChannel.open(home.resolve(".install.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE)) {
        lock.lock();
        if (present()) {
          return this;
        }
        Path log = home.resolve("npm-install.log");
        Process npm = new ProcessBuilder(List.of("npm", "install", "--no-audit", "--no-fund", "--no-save",
            "--prefix", home.toString(), spec)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!npm.waitFor(INSTALL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm install " + spec + " took over " + INSTALL_TIMEOUT_SECONDS
              + " s; see " + log);
        }
        if (npm.exitValue() != 0 || !present()) {
          throw new IllegalStateException("npm install " + spec + " failed (exit " + npm.exitValue() + "): "
              + Files.readString(log));
        }
        return this;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install " + spec + " into " + home + " (needs Node.js and npm)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while installing " + spec, e);
    }
  }

  private boolean present() throws IOException {
    Path manifest = home.resolve("node_modules").resolve(name).resolve("package.json");
    return Files.exists(manifest) && Files.readString(manifest).contains("\"version\": \"" + version + "\"");
  }
}
