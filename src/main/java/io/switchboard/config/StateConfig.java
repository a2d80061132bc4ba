package io.switchboard.config;

import java.util.Set;

/**
 * The conversation-state stage.
 *
 * @param lifecycle path of the lifecycle definition (filesystem first, then the embedded copy)
 * @param lastEvents how many recent events each conversation keeps for queries
 * @param maxAttributeBytes bound on the attribute values a conversation keeps (full payloads still reach targets)
 * @param invalidTransitions {@code deadletter}: an event the lifecycle rejects ({@code invalid_transition} or
 *                           {@code stage_cap_exceeded}: both are lifecycle violations) is dead-lettered;
 *                           {@code flag}: it is delivered with the violation named, leaving its conversation's
 *                           state unchanged
 * @param enrichment optional conversation enrichment from the Genesys REST API ({@link EnrichmentConfig})
 */
public record StateConfig(int instances, String lifecycle, int lastEvents, long closedRetentionMillis,
                          long idleRetentionMillis, int maxConversationsPerShard, long sweepIntervalMillis,
                          int maxAttributeBytes, String invalidTransitions,
                          EnrichmentConfig enrichment) {

  public boolean flagInvalidTransitions() {
    return "flag".equals(invalidTransitions);
  }

  static StateConfig from(ConfigNode node) {
    node.allowOnly(Set.of("instances", "lifecycle", "lastEvents", "closedRetentionSeconds", "idleRetentionSeconds",
        "maxConversationsPerShard", "sweepIntervalMs", "maxAttributeBytes", "invalidTransitions", "enrichment"));
    return new StateConfig(
        node.intValue("instances", 2, 1, 64),
        node.string("lifecycle", "conf/lifecycle.json"),
        node.intValue("lastEvents", 20, 0, 1000),
        node.longValue("closedRetentionSeconds", 900, 0, 30L * 24 * 3600) * 1000,
        node.longValue("idleRetentionSeconds", 4 * 3600, 1, 30L * 24 * 3600) * 1000,
        node.intValue("maxConversationsPerShard", 4_000, 1, 100_000_000),
        node.longValue("sweepIntervalMs", 5000, 10, 3_600_000),
        node.intValue("maxAttributeBytes", 1024, 0, 1024 * 1024),
        node.oneOf("invalidTransitions", "deadletter", Set.of("deadletter", "flag")),
        EnrichmentConfig.from(node.object("enrichment")));
  }

  /** The bounds of each shard's conversation store, as the state stage (and the dry run) build it. */
  public io.switchboard.state.StateSettings storeSettings() {
    return new io.switchboard.state.StateSettings(closedRetentionMillis, idleRetentionMillis,
        maxConversationsPerShard, lastEvents, maxAttributeBytes, flagInvalidTransitions());
  }
}
