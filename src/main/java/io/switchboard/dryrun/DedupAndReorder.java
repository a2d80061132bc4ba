package io.switchboard.dryrun;

import io.switchboard.bus.ShardMap;
import io.switchboard.config.ReorderConfig;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dedup.DedupWindow;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.LatenessBounds;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSettings;
import io.switchboard.reorder.ReorderSink;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.LifecycleDefinition;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Dedup and reorder as one node of the server holds them: one {@link DedupWindow} and {@link ReorderBuffer} per shard
 * ({@code hash(conversationId) % shards}), each bounded per shard as configured, and one set of learned lateness
 * bounds per reorder instance, shared by the shards it owns; reorder releases to the state stage's {@code sink}. Made
 * lazily, shard by shard. Driven by the dry run's synthetic clock: {@link #advanceTo} fires each reorder hold deadline
 * at its own time, as the reorder stage's timer would.
 */
final class DedupAndReorder {

  private final SwitchboardConfig config;
  private final LifecycleDefinition lifecycle;
  private final ReorderSink sink;
  private final ShardMap shards;
  private final LatenessBounds[] bounds;
  private final ReorderSettings reorderSettings;
  private final Map<Integer, DedupWindow> windows = new HashMap<>();
  /** By shard number: buffers due at the same time release in shard order, run after run. */
  private final Map<Integer, ReorderBuffer> buffers = new TreeMap<>();

  DedupAndReorder(SwitchboardConfig config, LifecycleDefinition lifecycle, ReorderSink sink) {
    this.config = Objects.requireNonNull(config, "config");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.shards = ShardMap.singleNode(config.nodeId(), config.shards(), config.dedup().instances(),
        config.reorder().instances(), config.state().instances());
    ReorderConfig reorder = config.reorder();
    this.bounds = new LatenessBounds[reorder.instances()];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = reorder.newLatenessBounds();
    }
    this.reorderSettings = reorder.bufferSettings();
  }

  DedupVerdict dedup(PipelineEvent event, long now) {
    DedupWindow window = windows.computeIfAbsent(shardOf(event),
        shard -> new DedupWindow(config.dedup().ttlMillis(), config.dedup().maxEventsPerShard()));
    return window.checkAndRemember(event.eventId(), event.fingerprint(), now, event.replay());
  }

  void reorder(PipelineEvent event, long now) {
    buffers.computeIfAbsent(shardOf(event), shard -> new ReorderBuffer(reorderSettings,
            bounds[shards.owner(ShardMap.Stage.REORDER, shard).instance()],
            conversation -> new ConversationLifecycle(lifecycle), sink))
        .offer(event, now);
  }

  /** Brings the clock to {@code now}: each reorder deadline due by then fires at its own time ({@code clock} first). */
  void advanceTo(long now, java.util.function.LongConsumer clock) {
    for (long due; (due = nextDeadline()) <= now; ) {
      clock.accept(due);
      for (ReorderBuffer buffer : buffers.values()) {
        if (buffer.nextDeadline() <= due) {
          buffer.advance(due);
        }
      }
    }
    clock.accept(now);
  }

  private long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (ReorderBuffer buffer : buffers.values()) {
      next = Math.min(next, buffer.nextDeadline());
    }
    return next;
  }

  /**
   * The capture has ended and the clock runs on, as the server's would after the last request: each hold deadline
   * fires at its own time until reorder holds nothing.
   */
  void drain(java.util.function.LongConsumer clock) {
    while (buffered() > 0) {
      advanceTo(nextDeadline(), clock);
    }
  }

  private int buffered() {
    int held = 0;
    for (ReorderBuffer buffer : buffers.values()) {
      held += buffer.bufferedEvents();
    }
    return held;
  }

  private int shardOf(PipelineEvent event) {
    return shards.shardOf(event.conversationId());
  }
}
