package io.switchboard.config;

import java.util.Set;

/**
 * The reorder stage.
 *
 * @param lateEvents {@code flag}: pass late events on marked late; {@code deadletter}: dead-letter them
 */
public record ReorderConfig(int instances, long windowMillis, String lateEvents, int maxConversationsPerShard,
                            int maxEventsPerConversation, long idleRetentionMillis) {

  public boolean deadLetterLate() {
    return "deadletter".equals(lateEvents);
  }

  static ReorderConfig from(ConfigNode node) {
    node.allowOnly(Set.of("instances", "windowMs", "lateEvents", "maxConversationsPerShard",
        "maxEventsPerConversation", "idleRetentionSeconds"));
    return new ReorderConfig(
        node.intValue("instances", 2, 1, 64),
        node.longValue("windowMs", 2000, 0, 600_000),
        node.oneOf("lateEvents", "flag", Set.of("flag", "deadletter")),
        node.intValue("maxConversationsPerShard", 3_000, 1, 10_000_000),
        node.intValue("maxEventsPerConversation", 256, 1, 100_000),
        node.longValue("idleRetentionSeconds", 600, 1, 7 * 24 * 3600) * 1000);
  }
}
