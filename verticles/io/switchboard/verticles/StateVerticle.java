package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Bus;
import io.switchboard.bus.ShardMap;
import io.switchboard.bus.FailureCodes;
import io.switchboard.config.GenesysConfig;
import io.switchboard.config.StateConfig;
import io.micrometer.core.instrument.Counter;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.DispatchRoute;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.filter.FilterInput;
import io.switchboard.filter.TargetFilters;
import io.switchboard.genesys.ConversationSummary;
import io.switchboard.genesys.GenesysApi;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Replay;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.Conversation;
import io.switchboard.state.Transition;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the conversations of its shards: applies each released event to its conversation's lifecycle,
 * dead-letters what the state machine rejects (or, with {@code state.invalidTransitions: "flag"}, passes it on
 * with the violation named), and hands every delivered event with a snapshot of its conversation to each
 * target's owning dispatcher instance. Also answers conversation queries.
 *
 * <p>With {@code state.enrichment} on, each owned shard also has a {@link ShardEnrichment}: a trigger event's
 * delivery may wait (at most {@code timeoutMs}) for the conversation's summary from the Genesys REST API, its
 * conversation's later events queue behind it meanwhile, and every delivery's snapshot carries the summary once known
 * ({@code "enrichment"}). The summaries are the shard's, like its conversations, and go into its snapshot after them.
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
  /** How to reach Genesys; null without the genesys section (then enrichment is off: config forbids it on). */
  private final GenesysConfig genesys;
  private final List<ShardEnrichment> enrichments = new ArrayList<>();
  private WebClient genesysClient;
  private GenesysApi genesysApi;
  /** Every target's filter in one machine, this instance's own: an event is parsed once for all targets. */
  private TargetFilters filters;
  private DispatchRoute[] routeOf;
  private Counter[] filteredOf;

  /**
   * @param snapshots whether any target reads the conversation snapshot; without one, none is encoded per event
   */
  public StateVerticle(StateConfig settings, LifecycleDefinition lifecycle, ShardMap shardMap, int instance,
                       TargetRoutes routes, List<TargetConfig> targets, boolean snapshots, String snapshotDir) {
    this(settings, lifecycle, shardMap, instance, routes, targets, snapshots, snapshotDir, null);
  }

  /** @param genesys how to reach Genesys for {@code state.enrichment}; null when the section is absent */
  public StateVerticle(StateConfig settings, LifecycleDefinition lifecycle, ShardMap shardMap, int instance,
                       TargetRoutes routes, List<TargetConfig> targets, boolean snapshots, String snapshotDir,
                       GenesysConfig genesys) {
    this.genesys = settings.enrichment().enabled() ? Objects.requireNonNull(genesys, "genesys") : null;
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
    if (genesys != null) {
      genesysClient = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) genesys.timeoutMs())
          .setIdleTimeout(60).setUserAgent("switchboard"));
      genesysApi = new GenesysApi(vertx, genesysClient, genesys.hosts().apiBase(),
          Addresses.genesysAccess(shardMap.localNode()), genesys.timeoutMs(), genesys.maxRetryAfterSeconds() * 1000);
      if (!snapshots && instance == 0) {
        LOG.warn("state.enrichment is on but no target reads the conversation snapshot (enriched shape, a type that "
            + "writes it, or a filter on conversation): summaries show only in GET /conversations/{id}");
      }
    }
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : shardMap.ownedBy(ShardMap.Stage.STATE, instance)) {
      Shard owned = new Shard(shard, new ConversationStore(lifecycle, settings.storeSettings()),
          snapshotDir == null ? null : new ShardSnapshots(vertx, snapshotDir, shardMap.localNode(),
              ShardMap.Stage.STATE, shard, shardMap.shards()));
      if (genesys != null) {
        owned.enrichment = new ShardEnrichment(vertx, genesysApi, settings.enrichment(), shard,
            event -> accept(owned, event), owned::changed);
        enrichments.add(owned.enrichment);
      }
      if (owned.snapshots == null) {
        ready.add(serve(owned));
        continue;
      }
      ready.add(owned.snapshots.load(in -> {
        owned.store.readFrom(in);
        readSummaries(owned, in);
        return owned.store;
      }).compose(restored -> serve(owned)));
    }
    return Future.all(ready);
  }

  /** One owned shard: its conversations, its snapshots (null when checkpoints are off), its enrichment (or null). */
  private static final class Shard {
    final int id;
    final ConversationStore store;
    final ShardSnapshots snapshots;
    ShardEnrichment enrichment;

    Shard(int id, ConversationStore store, ShardSnapshots snapshots) {
      this.id = id;
      this.store = store;
      this.snapshots = snapshots;
    }

    void changed() {
      if (snapshots != null) {
        snapshots.markDirty();
      }
    }

    /** The store, then the summaries: a snapshot written without enrichment simply ends after the store. */
    void writeTo(java.io.DataOutputStream out) throws IOException {
      store.writeTo(out);
      if (enrichment != null) {
        enrichment.writeTo(out);
      }
    }
  }

  /**
   * The summaries after the store in a shard snapshot. Any trouble with them costs only refetches, never the
   * conversations: a snapshot from before enrichment (or with it off) has none, and a damaged section is skipped.
   */
  private static void readSummaries(Shard shard, java.io.DataInputStream in) {
    if (shard.enrichment == null) {
      return;
    }
    try {
      shard.enrichment.readFrom(in);
    } catch (IOException | RuntimeException e) {
      LOG.warn("state shard [{}]: enrichment summaries in the snapshot not used: {}", shard.id, e.toString());
    }
  }

  private Future<Void> serve(Shard shard) {
    List<Future<Void>> ready = new ArrayList<>();
    String node = shardMap.localNode();
    ConversationStore store = shard.store;
    ShardSnapshots shardSnapshots = shard.snapshots;
    int id = shard.id;
    AtomicInteger open = PipelineMetrics.gaugeInt("switchboard.conversations.open",
        "Conversations held by the state stage", "shard", String.valueOf(id));
    MessageConsumer<PipelineEvent> events = vertx.eventBus().localConsumer(
        shardMap.address(ShardMap.Stage.STATE, id), msg -> {
      accept(shard, msg.body());
      shard.changed();
      open.set(store.size());
    });
    open.set(store.size());
    MessageConsumer<String> checkpoint = vertx.eventBus().localConsumer(
        Addresses.checkpoint(node, ShardMap.Stage.STATE, id), msg -> {
      if (shardSnapshots == null) {
        msg.reply(null);
      } else {
        shardSnapshots.checkpoint(shard::writeTo).onComplete(ar -> ShardSnapshots.answer(msg, ar, "state shard " + id));
      }
    });
    ready.add(checkpoint.completion());
    MessageConsumer<Object> control = vertx.eventBus().localConsumer(
        Addresses.shardControl(node, ShardMap.Stage.STATE, id), msg -> {
      control(shard, msg);
      open.set(store.size());
    });
    ready.add(control.completion());
    // Cluster-wide: GET /conversations/{id} on any node asks the owner of the conversation's shard.
    MessageConsumer<String> queries = vertx.eventBus().consumer(Addresses.stateQuery(node, id), msg -> {
      Conversation conversation = store.get(msg.body());
      if (conversation == null) {
        msg.fail(FailureCodes.NOT_FOUND, "no conversation " + msg.body());
      } else {
        io.vertx.core.json.JsonObject json = conversation.toJson(settings.lastEvents());
        if (shard.enrichment != null) {
          json.put("enrichment", shard.enrichment.summaryJson(conversation.id()));
        }
        msg.reply(json);
      }
    });
    MessageConsumer<String> snapshots = vertx.eventBus().consumer(Addresses.stateSnapshot(node, id), msg -> {
      Conversation conversation = store.get(msg.body());
      if (conversation == null) {
        msg.fail(FailureCodes.NOT_FOUND, "no conversation " + msg.body());
      } else {
        msg.reply(snapshotOf(shard, conversation));
      }
    });
    ready.add(snapshots.completion());
    timers.add(vertx.setPeriodic(settings.sweepIntervalMillis(), timer -> {
      store.evict(System.currentTimeMillis());
      if (shard.enrichment != null) {
        shard.enrichment.sweep(conversation -> store.get(conversation) != null);
      }
      open.set(store.size());
    }));
    ready.add(events.completion());
    ready.add(queries.completion());
    return Future.all(ready).mapEmpty();
  }

  /**
   * A handover: {@code export} replies with the shard's conversations (and summaries) as bytes and forgets them, the
   * new owner holds them from now on; a Buffer installs what another node exported.
   */
  private void control(Shard shard, io.vertx.core.eventbus.Message<Object> msg) {
    try {
      if (msg.body() instanceof Buffer state) {
        shard.store.clear();
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(state.getBytes()));
        shard.store.readFrom(in);
        readSummaries(shard, in);
        shard.changed();
        msg.reply(null);
        return;
      }
      if ("recover".equals(((io.vertx.core.json.JsonObject) msg.body()).getString("action"))) {
        shard.store.recoverAfterCrash();
        shard.changed();
        msg.reply(null);
        return;
      }
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
        shard.writeTo(out);
      }
      shard.store.clear();
      shard.changed();
      msg.reply(Buffer.buffer(bytes.toByteArray()));
    } catch (IOException | RuntimeException e) {
      msg.fail(FailureCodes.INTERNAL, "state shard " + shard.id + ": handover failed: " + e);
    }
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    enrichments.forEach(ShardEnrichment::stop);
    if (genesysClient != null) {
      genesysClient.close();
    }
    return Future.succeededFuture();
  }

  /** An event for the shard: queued behind its conversation's held event, if there is one, else applied now. */
  private void accept(Shard shard, PipelineEvent event) {
    if (shard.enrichment != null && shard.enrichment.queueIfHeld(event)) {
      return;
    }
    apply(shard, event);
  }

  /** The conversation's snapshot as targets receive it: with its enrichment summary, once there is one. */
  private Buffer snapshotOf(Shard shard, Conversation conversation) {
    Buffer snapshot = conversation.snapshot().toBuffer();
    return shard.enrichment == null ? snapshot
        : ConversationSummary.splice(snapshot, shard.enrichment.summary(conversation.id()));
  }

  private void apply(Shard shard, PipelineEvent arrived) {
    ConversationStore store = shard.store;
    PipelineEvent event = shardMap.clustered() && !arrived.late() && arrived.replay() != Replay.RESTORE_ONLY
        ? lateAfterMove(store, arrived) : arrived;
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
      Buffer snapshot = snapshots ? snapshotOf(shard, known) : null;
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
    if (shard.enrichment == null) {
      deliver(shard, event, result, null, now);
      return;
    }
    // The snapshot is taken now: while the event waits, its conversation's later events queue and change nothing
    // but the summary, which deliver splices in when it runs.
    Buffer base = snapshots ? store.get(event.conversationId()).snapshot().toBuffer() : null;
    shard.enrichment.offer(event, !routes.isEmpty(),
        () -> deliver(shard, event, result, base, System.currentTimeMillis()));
  }

  /**
   * Clustered, a shard's reorder buffers move without their memory of what each conversation already released (and
   * a crashed owner's is gone), so an event sent again after a failover, or replayed from a restarted node's journal,
   * could reach the targets after later events unflagged. The conversation's state did move: an event older than
   * the latest one it applied is marked late here, as reorder would have.
   */
  private static PipelineEvent lateAfterMove(ConversationStore store, PipelineEvent event) {
    Conversation conversation = store.get(event.conversationId());
    if (conversation == null || event.eventTime() >= conversation.lastEventTime()
        || conversation.hasRecorded(event) && !event.replayed()) {
      return event;
    }
    PipelineMetrics.lateAfterMove();
    return event.asLate();
  }

  /** Settles an event no target takes, or dispatches it with its conversation's snapshot ({@code base} if taken). */
  private void deliver(Shard shard, PipelineEvent event, ApplyResult result, Buffer base, long now) {
    if (routes.isEmpty()) {
      Settlements.report(vertx, event.ticket(), 1, Settlement.Outcome.DELIVERED);
      return;
    }
    Buffer snapshot = null;
    if (snapshots) {
      snapshot = base != null ? ConversationSummary.splice(base, shard.enrichment.summary(event.conversationId()))
          : snapshotOf(shard, shard.store.get(event.conversationId()));
    }
    dispatch(new ProcessedEvent(event, result.state(), result.stage(), snapshot, now, result.violation()));
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
        vertx.eventBus().send(route.address(processed), processed, Bus.LOCAL);
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
        vertx.eventBus().send(routeOf[i].address(processed), processed.forTarget(matched[i], parts), Bus.LOCAL);
      }
    }
  }

  private void deadLetter(PipelineEvent event, DeadLetter.Reason reason, String why) {
    DeadLetters.send(vertx, DeadLetters.of(event, DeadLetter.Stage.STATE, reason, why))
        .onFailure(e -> LOG.error("dead letter for event [{}] failed", event.key(), e));
  }
}
