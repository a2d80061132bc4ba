package io.switchboard.config;

import java.util.Set;

/**
 * The reorder stage.
 *
 * @param release              {@code ordered}: release on the lateness bound only (order guaranteed within it);
 *                             {@code lifecycle}: also release the lifecycle's expected next step at once
 * @param windowMillis         the cap on the lateness bound; with {@code lateness: "fixed"}, the bound itself
 * @param lateness             {@code learned}: learn the bound per source from the disorder seen;
 *                             {@code fixed}: always {@code windowMillis}
 * @param minHoldMillis        the learned bound's floor, and the hold when no disorder is seen
 * @param initialLatenessMillis where a fresh source's learned bound starts
 * @param latenessQuantile     which quantile of the out-of-order delays the learned bound covers
 * @param latenessSafetyFactor the quantile is multiplied by this
 * @param latenessHorizonMillis how long out-of-order delays count
 * @param learnAfterEvents     arrivals of a source per halving of the initial bound
 * @param lateEvents           {@code flag}: pass late events on marked late; {@code deadletter}: dead-letter them
 */
public record ReorderConfig(int instances, String release, long windowMillis, String lateness, long minHoldMillis,
                            long initialLatenessMillis, double latenessQuantile, double latenessSafetyFactor,
                            long latenessHorizonMillis, long learnAfterEvents, String lateEvents,
                            int maxConversationsPerShard, int maxEventsPerConversation, long idleRetentionMillis) {

  public boolean deadLetterLate() {
    return "deadletter".equals(lateEvents);
  }

  public boolean lifecycleRelease() {
    return "lifecycle".equals(release);
  }

  public boolean learnedLateness() {
    return "learned".equals(lateness);
  }

  static ReorderConfig from(ConfigNode node) {
    node.allowOnly(Set.of("instances", "release", "windowMs", "lateness", "minHoldMs", "initialLatenessMs",
        "latenessQuantile", "latenessSafetyFactor", "latenessHorizonSeconds", "learnAfterEvents", "lateEvents",
        "maxConversationsPerShard", "maxEventsPerConversation", "idleRetentionSeconds"));
    long window = node.longValue("windowMs", 2000, 0, 600_000);
    long minHold = node.longValue("minHoldMs", Math.min(10, window), 0, window);
    return new ReorderConfig(
        node.intValue("instances", 2, 1, 64),
        node.oneOf("release", "ordered", Set.of("ordered", "lifecycle")),
        window,
        node.oneOf("lateness", "learned", Set.of("learned", "fixed")),
        minHold,
        node.longValue("initialLatenessMs", window, minHold, window),
        node.doubleValue("latenessQuantile", 0.99, 0.5, 1.0),
        node.doubleValue("latenessSafetyFactor", 2.0, 1.0, 100.0),
        node.longValue("latenessHorizonSeconds", 60, 1, 24 * 3600) * 1000,
        node.longValue("learnAfterEvents", 500, 0, 1_000_000_000),
        node.oneOf("lateEvents", "flag", Set.of("flag", "deadletter")),
        node.intValue("maxConversationsPerShard", 3_000, 1, 10_000_000),
        node.intValue("maxEventsPerConversation", 256, 1, 100_000),
        node.longValue("idleRetentionSeconds", 600, 1, 7 * 24 * 3600) * 1000);
  }

  /** The settings of each shard's reorder buffer, as the reorder stage (and the dry run) build it. */
  public io.switchboard.reorder.ReorderSettings bufferSettings() {
    return new io.switchboard.reorder.ReorderSettings(lifecycleRelease()
        ? io.switchboard.reorder.ReleaseMode.LIFECYCLE : io.switchboard.reorder.ReleaseMode.ORDERED,
        windowMillis, maxConversationsPerShard, maxEventsPerConversation, idleRetentionMillis);
  }

  /** A fresh set of lateness bounds for one reorder instance: learned per source, or the fixed window. */
  public io.switchboard.reorder.LatenessBounds newLatenessBounds() {
    return learnedLateness()
        ? io.switchboard.reorder.LatenessBounds.learned(new io.switchboard.reorder.LearningSettings(
            initialLatenessMillis, minHoldMillis, windowMillis, latenessQuantile, latenessSafetyFactor,
            latenessHorizonMillis, learnAfterEvents))
        : io.switchboard.reorder.LatenessBounds.fixed(windowMillis);
  }
}
