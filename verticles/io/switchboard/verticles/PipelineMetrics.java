package io.switchboard.verticles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Switchboard's own meters, registered in the registry that vertx-micrometer-metrics scrapes for
 * {@code GET /metrics}. Names follow Prometheus conventions once exported ({@code switchboard_…_total}).
 * The counters called per event go through {@link TaggedCounters}, which resolves each tag combination once.
 */
public final class PipelineMetrics {

  private static final MeterRegistry FALLBACK = new SimpleMeterRegistry();
  private static final TaggedCounters INGESTED = new TaggedCounters("switchboard.events.ingested",
      "Events received, by source and outcome", "source", "outcome");
  private static final TaggedCounters TRANSITIONS = new TaggedCounters("switchboard.transitions",
      "Conversation state changes", "from", "to");

  private PipelineMetrics() {
  }

  public static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : FALLBACK;
  }

  public static void ingested(String source, String outcome) {
    INGESTED.increment(registry(), source, outcome);
  }

  public static void deadLettered(String stage, String reason) {
    Counter.builder("switchboard.deadletters").description("Dead letters written, by stage and reason")
        .tag("stage", stage).tag("reason", reason).register(registry()).increment();
  }

  /**
   * An event the lifecycle rejected; {@code outcome} is {@code flagged} (delivered with the violation,
   * {@code state.invalidTransitions: "flag"}) or {@code dead_lettered}.
   */
  public static void lifecycleViolation(String reason, String outcome) {
    Counter.builder("switchboard.lifecycle.violations")
        .description("Events the conversation lifecycle rejected, by reason and outcome")
        .tag("reason", reason).tag("outcome", outcome).register(registry()).increment();
  }

  /** One checkpoint: {@code ok} (journals truncated) or {@code failed} (skipped until the next). */
  public static void checkpoint(String outcome, long millis) {
    Timer.builder("switchboard.checkpoint").description("Checkpoints: snapshots written, then journals truncated")
        .tag("outcome", outcome).register(registry()).record(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /** A replayed event its conversation had already recorded before the restart: delivered again, not re-applied. */
  public static void replayedAgain() {
    Counter.builder("switchboard.replay.already.applied")
        .description("Events replayed from the journal that the restored state had already applied")
        .register(registry()).increment();
  }

  /** An event the state stage marked late in a cluster: older than its conversation's latest, after a shard move. */
  public static void lateAfterMove() {
    Counter.builder("switchboard.cluster.late.after.move")
        .description("Events marked late by the state stage: older than their conversation's latest applied event, "
            + "arriving after a shard moved or its owner crashed")
        .register(registry()).increment();
  }

  /** A conversation whose first lifecycle event was not a start, adopted in an inferred state. */
  public static void joinedMidway() {
    Counter.builder("switchboard.conversations.joined.midway")
        .description("Conversations first seen mid-way (after a deployment, restart or shard move) and adopted")
        .register(registry()).increment();
  }

  public static void duplicate(String kind) {
    Counter.builder("switchboard.duplicates").description("Duplicates dropped by dedup, by match kind")
        .tag("kind", kind).register(registry()).increment();
  }

  public static void transition(String from, String to) {
    TRANSITIONS.increment(registry(), from, to);
  }

  /** Registers a gauge read from the owning verticle's state; the gauge holds the supplier. */
  public static void gauge(String name, String description, String tagKey, String tagValue, Supplier<Number> value) {
    io.micrometer.core.instrument.Gauge.builder(name, value).description(description)
        .tag(tagKey, tagValue).register(registry());
  }

  /** A gauge backed by a counter the verticle updates on its own thread and that scrapes read racily. */
  public static AtomicInteger gaugeInt(String name, String description, String tagKey, String tagValue) {
    AtomicInteger holder = new AtomicInteger();
    gauge(name, description, tagKey, tagValue, holder::get);
    return holder;
  }
}
