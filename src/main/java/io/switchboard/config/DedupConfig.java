package io.switchboard.config;

import java.util.Set;

/** The dedup stage: window length and bound, and how many verticle instances share its shards. */
public record DedupConfig(int instances, long ttlMillis, int maxEventsPerShard, long sweepIntervalMillis) {

  static DedupConfig from(ConfigNode node) {
    node.allowOnly(Set.of("instances", "ttlSeconds", "maxEventsPerShard", "sweepIntervalMs"));
    return new DedupConfig(
        node.intValue("instances", 2, 1, 64),
        node.longValue("ttlSeconds", 3600, 1, 7 * 24 * 3600) * 1000,
        node.intValue("maxEventsPerShard", 100_000, 16, 100_000_000),
        node.longValue("sweepIntervalMs", 1000, 10, 3_600_000));
  }
}
