package io.switchboard.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the delivery benchmark puts between the generator and the sink: Switchboard itself, or the
 * {@link BareForwarder} that stands for the harness's ceiling. Both run as a child JVM on the same
 * {@code server.json} and the same JVM flags, so their CPU, RSS and GC figures compare.
 */
enum ServerKind {
  SWITCHBOARD("switchboard"),
  FORWARDER("forwarder");

  private final String label;

  ServerKind(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }

  static ServerKind parse(String text) {
    for (ServerKind kind : values()) {
      if (kind.label.equals(text)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("--server must be switchboard or forwarder, got " + text);
  }

  /**
   * What follows the JVM flags on the command line: the jar for Switchboard; for the forwarder, this JVM's own
   * class path (the bench classes and their dependencies, as exec:exec built it) and the bench logback config.
   */
  List<String> launch(Path jar, Path conf) {
    List<String> args = new ArrayList<>();
    if (this == SWITCHBOARD) {
      args.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    } else {
      // The test class path holds a logback-test.xml; the bench one keeps the forwarder's log as quiet as the server's.
      String logback = System.getProperty("logback.configurationFile");
      if (logback != null) {
        args.add("-Dlogback.configurationFile=" + logback);
      }
      args.addAll(List.of("-cp", System.getProperty("java.class.path"), BareForwarder.class.getName()));
    }
    args.addAll(List.of("-conf", conf.toString()));
    return args;
  }
}
