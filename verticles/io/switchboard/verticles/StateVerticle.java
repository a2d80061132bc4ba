package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.bus.FailureCodes;
import io.switchboard.config.StateConfig;
import io.micrometer.core.instrument.Counter;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.DispatchRoute;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.filter.FilterInput;
import io.switchboard.filter.TargetFilters;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Replay;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.Conversation;
import io.switchboard.state.StateSettings;
import io.switchboard.state.Transition;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the conversations of its shards: applies each released event to its conversation's lifecycle,
 * dead-letters what the state machine rejects (or, with {@code state.invalidTransitions: "flag"}, passes it on
 * with the violation named), and hands every delivered event with a snapshot of its conversation to each
 * target's owning dispatcher instance. Also answers conversation queries.
 */
public final class StateVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(StateVerticle.class);

  private final StateConfig settings;
  private final LifecycleDefinition lifecycle;
  private final ShardMap shardMap;
  private final int instance;
  private final TargetRoutes routes;
  private final List<TargetConfig> targets;
  private final boolean snapshots;
  /** Where shard snapshots go; null when checkpoints are off. */
  private final String snapshotDir;
  private final List<Long> timers = new ArrayList<>();
  /** Every target's filter in one machine, this instance's own: an event is parsed once for all targets. */
  private TargetFilters filters;
  private DispatchRoute[] routeOf;
  private Counter[] filteredOf;

  /**
   * @param snapshots whether any target reads the conversation snapshot; without one, none is encoded per event
   */
  public StateVerticle(StateConfig settings, LifecycleDefinition lifecycle, ShardMap shardMap, int instance,
                       TargetRoutes routes, List<TargetConfig> targets, boolean snapshots, String snapshotDir) {
    this.snapshotDir = snapshotDir;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.instance = instance;
    this.routes = Objects.requireNonNull(routes, "routes");
    this.targets = List.copyOf(targets);
    this.snapshots = snapshots;
  }

  @Override
  public Future<?> start() {
    filters = TargetFilters.of(targets.stream().map(t -> t.filterNode().json()).toList(),
        targets.stream().map(t -> t.filterNode().path()).toList());
    routeOf = routes.inOrder().toArray(new DispatchRoute[0]);
    filteredOf = targets.stream().map(t -> TargetMeters.filteredCounter(t.id())).toArray(Counter[]::new);
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : shardMap.ownedBy(ShardMap.Stage.STATE, instance)) {
      ConversationStore store = new ConversationStore(lifecycle, new StateSettings(settings.closedRetentionMillis(),
          settings.idleRetentionMillis(), settings.maxConversationsPerShard(), settings.lastEvents(),
          settings.maxAttributeBytes(), settings.flagInvalidTransitions()));
      if (snapshotDir == null) {
        ready.add(serve(shard, store, null));
        continue;
      }
      ShardSnapshots shardSnapshots = new ShardSnapshots(vertx, snapshotDir, shardMap.localNode(),
          ShardMap.Stage.STATE, shard, shardMap.shards());
      ready.add(shardSnapshots.load(in -> {
        store.readFrom(in);
        return store;
      }).compose(restored -> serve(shard, store, shardSnapshots)));
    }
    return Future.all(ready);
  }

  private Future<Void> serve(int shard, ConversationStore store, ShardSnapshots shardSnapshots) {
    List<Future<Void>> ready = new ArrayList<>();
    String node = shardMap.localNode();
    AtomicInteger open = PipelineMetrics.gaugeInt("switchboard.conversations.open",
        "Conversations held by the state stage", "shard", String.valueOf(shard));
    MessageConsumer<PipelineEvent> events = vertx.eventBus().localConsumer(
        shardMap.address(ShardMap.Stage.STATE, shard), msg -> {
      apply(store, msg.body());
      if (shardSnapshots != null) {
        shardSnapshots.markDirty();
      }
      open.set(store.size());
    });
    open.set(store.size());
    MessageConsumer<String> checkpoint = vertx.eventBus().localConsumer(
        Addresses.checkpoint(node, ShardMap.Stage.STATE, shard), msg -> {
      if (shardSnapshots == null) {
        msg.reply(null);
      } else {
        shardSnapshots.checkpoint(store::writeTo).onComplete(ar -> ShardSnapshots.answer(msg, ar, "state shard " + shard));
      }
    });
    ready.add(checkpoint.completion());
    MessageConsumer<String> queries = vertx.eventBus().localConsumer(Addresses.stateQuery(node, shard), msg -> {
      Conversation conversation = store.get(msg.body());
      if (conversation == null) {
        msg.fail(FailureCodes.NOT_FOUND, "no conversation " + msg.body());
      } else {
        msg.reply(conversation.toJson(settings.lastEvents()));
      }
    });
    MessageConsumer<String> snapshots = vertx.eventBus().localConsumer(Addresses.stateSnapshot(node, shard), msg -> {
      Conversation conversation = store.get(msg.body());
      if (conversation == null) {
        msg.fail(FailureCodes.NOT_FOUND, "no conversation " + msg.body());
      } else {
        msg.reply(conversation.snapshot().toBuffer());
      }
    });
    ready.add(snapshots.completion());
    timers.add(vertx.setPeriodic(settings.sweepIntervalMillis(), id -> {
      store.evict(System.currentTimeMillis());
      open.set(store.size());
    }));
    ready.add(events.completion());
    ready.add(queries.completion());
    return Future.all(ready).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }

  private void apply(ConversationStore store, PipelineEvent event) {
    long now = System.currentTimeMillis();
    if (event.replay() == Replay.RESTORE_ONLY) {
      restore(store, event, now);
      return;
    }
    Conversation known = event.replayed() ? store.get(event.conversationId()) : null;
    if (known != null && known.hasRecorded(event)) {
      // Replayed from the journal and already in the restored state: not applied twice, but delivered again,
      // since whether it reached the targets before the crash is not known. Its idempotency key is the same.
      PipelineMetrics.replayedAgain();
      if (routes.isEmpty()) {
        Settlements.report(vertx, event.ticket(), 1, Settlement.Outcome.DELIVERED);
        return;
      }
      Buffer snapshot = snapshots ? known.snapshot().toBuffer() : null;
      dispatch(new ProcessedEvent(event, known.state(), known.stage(), snapshot, now, null));
      return;
    }
    ApplyResult result;
    try {
      result = store.apply(event, now);
    } catch (RuntimeException e) {
      // Never let one bad event kill the shard: it becomes a dead letter with the cause.
      LOG.error("state machine failed on event [{}] of conversation [{}]", event.key(), event.conversationId(), e);
      deadLetter(event, DeadLetter.Reason.INTERNAL_ERROR, String.valueOf(e));
      return;
    }
    if (result.adoptedMidway()) {
      PipelineMetrics.joinedMidway();
    }
    if (result.transition() instanceof Transition.Rejected rejected) {
      PipelineMetrics.lifecycleViolation(rejected.reason().code(), result.flagged() ? "flagged" : "dead_lettered");
      if (!result.flagged()) {
        deadLetter(event, rejected.reason(), rejected.why());
        return;
      }
    } else if (result.transition() instanceof Transition.Applied applied && !applied.from().equals(applied.to())) {
      PipelineMetrics.transition(applied.from(), applied.to());
    }
    if (routes.isEmpty()) {
      Settlements.report(vertx, event.ticket(), 1, Settlement.Outcome.DELIVERED);
      return;
    }
    Buffer snapshot = snapshots ? store.get(event.conversationId()).snapshot().toBuffer() : null;
    ProcessedEvent processed = new ProcessedEvent(event, result.state(), result.stage(), snapshot, now,
        result.violation());
    dispatch(processed);
  }

  /**
   * An event that settled before the restart, replayed to rebuild its conversation: applied unless the restored
   * snapshot has it already, then settled. Never delivered or dead-lettered again; it was, before the crash.
   */
  private void restore(ConversationStore store, PipelineEvent event, long now) {
    Conversation known = store.get(event.conversationId());
    if (known == null || !known.hasRecorded(event)) {
      try {
        store.apply(event, now);
      } catch (RuntimeException e) {
        LOG.warn("state machine failed restoring event [{}] of conversation [{}]: {}", event.key(),
            event.conversationId(), e.toString());
      }
    }
    Settlements.report(vertx, event.ticket(), 1, Settlement.Outcome.DELIVERED);
  }

  /**
   * Sends the event to the owning instance of each target whose filter selects it, with the pattern that did and
   * how many targets settle it. One match for all targets: the filter document is built and parsed once.
   */
  private void dispatch(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    String[] matched;
    try {
      matched = filters.match(() -> FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(),
          event.late()));
    } catch (RuntimeException e) {
      // Each dispatcher then matches on its own, and dead-letters what its filter cannot read, naming the target.
      for (DispatchRoute route : routeOf) {
        vertx.eventBus().send(route.address(processed), processed);
      }
      return;
    }
    int parts = 0;
    for (String pattern : matched) {
      parts += pattern == null ? 0 : 1;
    }
    if (parts == 0) {
      for (Counter filtered : filteredOf) {
        filtered.increment();
      }
      Settlements.report(vertx, event.ticket(), 1, Settlement.Outcome.FILTERED);
      return;
    }
    for (int i = 0; i < routeOf.length; i++) {
      if (matched[i] == null) {
        filteredOf[i].increment();
      } else {
        // Each target's instance that owns the event's ordering key, and no other, receives it.
        vertx.eventBus().send(routeOf[i].address(processed), processed.forTarget(matched[i], parts));
      }
    }
  }

  private void deadLetter(PipelineEvent event, DeadLetter.Reason reason, String why) {
    DeadLetters.send(vertx, DeadLetters.of(event, DeadLetter.Stage.STATE, reason, why))
        .onFailure(e -> LOG.error("dead letter for event [{}] failed", event.key(), e));
  }
}
