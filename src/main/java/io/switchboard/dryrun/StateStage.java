package io.switchboard.dryrun;

import io.switchboard.bus.Shards;
import io.switchboard.config.StateConfig;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Replay;
import io.switchboard.message.Violation;
import io.switchboard.reorder.ReleaseCause;
import io.switchboard.reorder.ReorderSink;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
import io.switchboard.state.Transition;
import io.vertx.core.buffer.Buffer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Where reorder releases to in a dry run, as in the server: a late event is passed on flagged or dead-lettered
 * ({@code reorder.lateEvents}), then the lifecycle state machine of the conversation's shard applies it or rejects it
 * ({@code state.invalidTransitions}), then every enabled target's filter and shape take what it delivers. Each
 * event's verdict goes to {@code ended}, without its place in the capture, which the caller knows.
 */
final class StateStage implements ReorderSink {

  private final SwitchboardConfig config;
  private final LifecycleDefinition lifecycle;
  private final StateSettings settings;
  private final DryRunTargets targets;
  private final BiConsumer<String, Buffer> payloads;
  private final LongSupplier clock;
  private final BiConsumer<PipelineEvent, EventVerdict> ended;
  private final Map<Integer, ConversationStore> stores = new HashMap<>();
  private long lastSweep = Long.MIN_VALUE;

  StateStage(SwitchboardConfig config, LifecycleDefinition lifecycle, DryRunTargets targets,
             BiConsumer<String, Buffer> payloads, LongSupplier clock, BiConsumer<PipelineEvent, EventVerdict> ended) {
    this.config = Objects.requireNonNull(config, "config");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    StateConfig state = config.state();
    this.settings = state.storeSettings();
    this.targets = Objects.requireNonNull(targets, "targets");
    this.payloads = Objects.requireNonNull(payloads, "payloads");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ended = Objects.requireNonNull(ended, "ended");
  }

  @Override
  public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
    apply(event);
  }

  @Override
  public boolean late(PipelineEvent event, long delayMillis) {
    if (config.reorder().deadLetterLate() && event.replay() != Replay.RESTORE_ONLY) {
      deadLetter(event, DeadLetter.Stage.REORDER, DeadLetter.Reason.LATE_EVENT, "event time " + event.eventTime()
          + " is earlier than an already released event of conversation " + event.conversationId()
          + "; it arrived " + delayMillis + " ms after a later event");
      return false;
    }
    apply(event);
    return true;
  }

  /** Evicts closed and idle conversations at the state stage's sweep interval, as its timer does. */
  void sweep(long now) {
    if (lastSweep == Long.MIN_VALUE || now - lastSweep >= config.state().sweepIntervalMillis()) {
      lastSweep = now;
      stores.values().forEach(store -> store.evict(now));
    }
  }

  private void apply(PipelineEvent event) {
    long now = clock.getAsLong();
    ConversationStore store = stores.computeIfAbsent(Shards.of(event.conversationId(), config.shards()),
        shard -> new ConversationStore(lifecycle, settings));
    ApplyResult result;
    try {
      result = store.apply(event, now);
    } catch (RuntimeException e) {
      deadLetter(event, DeadLetter.Stage.STATE, DeadLetter.Reason.INTERNAL_ERROR, String.valueOf(e));
      return;
    }
    if (result.transition() instanceof Transition.Rejected rejected && !result.flagged()) {
      deadLetter(event, DeadLetter.Stage.STATE, rejected.reason(), rejected.why());
      return;
    }
    List<TargetMatch> matches = List.of();
    if (!targets.isEmpty()) {
      Buffer snapshot = targets.readsSnapshot() ? store.get(event.conversationId()).snapshot().toBuffer() : null;
      matches = targets.route(new ProcessedEvent(event, result.state(), result.stage(), snapshot, now,
          result.violation()), payloads);
    }
    Violation violation = result.violation();
    ended.accept(event, new EventVerdict(0, -1, EventVerdict.Outcome.ACCEPTED, event.eventId(), event.conversationId(),
        event.eventType(), violation == null ? null : violation.reason().code(), null,
        violation == null ? null : violation.error(), result.state(), event.late(), matches));
  }

  private void deadLetter(PipelineEvent event, DeadLetter.Stage stage, DeadLetter.Reason reason, String why) {
    ended.accept(event, new EventVerdict(0, -1, EventVerdict.Outcome.DEAD_LETTERED, event.eventId(),
        event.conversationId(), event.eventType(), reason.code(), stage, why, null, event.late(), List.of()));
  }
}
