package io.switchboard.config;

import java.util.Set;

/** The dead-letter writer: where, how often it fsyncs, when it rotates. */
public record DeadLetterConfig(String dir, int fsyncBatch, long fsyncIntervalMillis, long rotateBytes) {

  static DeadLetterConfig from(ConfigNode node) {
    node.allowOnly(Set.of("dir", "fsyncBatch", "fsyncIntervalMs", "rotateBytes"));
    return new DeadLetterConfig(
        node.string("dir", "data/dlq"),
        node.intValue("fsyncBatch", 64, 1, 100_000),
        node.longValue("fsyncIntervalMs", 50, 1, 60_000),
        node.longValue("rotateBytes", 64L * 1024 * 1024, 4096, Long.MAX_VALUE));
  }
}
