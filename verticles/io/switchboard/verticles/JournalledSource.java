package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.DurabilityConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.PendingVerdicts;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.journal.IngestJournal;
import io.switchboard.journal.JournalReplay;
import io.switchboard.message.Settlement;
import io.switchboard.message.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every source that journals before it acknowledges has in common (HTTP ingest, the Notifications WebSocket):
 * its journal (or none), settlement tracker and {@link Admission}, its settlement and verdict consumers, its
 * settlement notes, the replay of its journal after a restart, and the ingest control actions MainVerticle and the
 * Checkpointer send it ({@code listen}, {@code replay-until}, {@code replay-finish}, {@code position},
 * {@code truncate}, {@code close}, {@code await}, {@code status}). The verticle around it owns the transport and says
 * what {@code listen} and {@code close} mean for it. Used on that verticle's event loop only.
 */
final class JournalledSource {

  /** What the transport does when told to. */
  interface Transport {

    /** Starts taking input (binds, connects); completes with a JSON to reply, e.g. the bound port. */
    Future<JsonObject> listen();

    /** Stops taking input; admitted events keep flowing until the drain ends. */
    Future<Void> close();

    /** The transport's own part of the source's status ({@code /ready}). */
    default JsonObject status() {
      return new JsonObject();
    }

    /**
     * A checkpoint's first step, for a source whose upstream keeps its position (a Kafka group, a poll
     * checkpoint): capture what may be acknowledged and return a number {@link #truncate} will be given back; null
     * for a journalled source, whose position is its tracker's contiguous settled sequence number.
     */
    default Long position() {
      return null;
    }

    /** A checkpoint's last step for such a source (commit, write its checkpoint); null: truncate the journal. */
    default Future<Void> truncate(long through) {
      return null;
    }

    /** Completes once a source that re-reads after a restart has passed what a crash may have left undelivered. */
    default Future<Void> caughtUp() {
      return Future.succeededFuture();
    }
  }

  private final Vertx vertx;
  private final String sourceId;
  private final SettlementTracker tracker;
  private final IngestJournal journal;
  private final Admission admission;
  private final JournalReplay replay;
  private final PendingVerdicts pending;
  private final ShardMap shardMap;
  private final BusPipeline pipeline;
  private final long verdictSweep;
  private final long settledNote;
  private MessageConsumer<JsonObject> control;
  private MessageConsumer<Settlement> settlements;
  private MessageConsumer<Verdict> verdicts;
  private MessageConsumer<io.vertx.core.json.JsonArray> views;

  private JournalledSource(Vertx vertx, String sourceId, String sourceName, IngestJournal journal,
                           EventNormalizer normalizer, ShardMap shardMap, int maxInFlight, long dedupTimeoutMs,
                           DurabilityConfig durability) {
    this.vertx = vertx;
    this.sourceId = sourceId;
    this.journal = journal;
    this.tracker = journal == null ? new SettlementTracker() : new SettlementTracker(journal.firstSeq());
    this.pending = new PendingVerdicts(dedupTimeoutMs);
    String settleAddress = Addresses.settle(shardMap.localNode(), sourceId);
    this.shardMap = shardMap;
    this.pipeline = new BusPipeline(vertx, shardMap, pending, dedupTimeoutMs, tracker::settle);
    this.admission = new Admission(sourceName, settleAddress, normalizer, tracker, pipeline,
        journal == null ? Admission.Journal.NONE : journal, PipelineMetrics::ingested);
    this.replay = journal == null ? null : new JournalReplay(vertx, journal, admission, maxInFlight);
    // One sweep for every verdict still awaited, instead of a timer per request.
    this.verdictSweep = vertx.setPeriodic(Math.max(50, dedupTimeoutMs / 10),
        id -> pending.expire(System.currentTimeMillis()));
    this.settledNote = journal == null || durability == null ? -1 : vertx.setPeriodic(durability.settledNoteMillis(),
        id -> journal.noteSettled(tracker.settledThrough(), tracker.settledRanges()));
    PipelineMetrics.gauge("switchboard.inflight", "Admitted events not yet settled", "source", settleAddress,
        tracker::inFlight);
    if (journal != null) {
      PipelineMetrics.gauge("switchboard.journal.unsettled.bytes", "Journal bytes not yet truncated", "source",
          sourceId, journal::diskBytes);
    }
  }

  /**
   * Opens the source's journal (when {@code journal.enabled}) and registers its consumers; {@code transport} is
   * asked for lazily, once the control address may call it.
   */
  static Future<JournalledSource> open(Vertx vertx, String sourceId, String sourceName, DurabilityConfig durability,
                                       EventNormalizer normalizer, ShardMap shardMap, int maxInFlight,
                                       long dedupTimeoutMs, Supplier<Transport> transport) {
    Future<IngestJournal> journal = durability.journal() ? IngestJournal.open(vertx, durability, sourceId)
        : Future.succeededFuture(null);
    return journal.compose(opened -> {
      JournalledSource source = new JournalledSource(vertx, sourceId, sourceName, opened, normalizer, shardMap,
          maxInFlight, dedupTimeoutMs, durability);
      return source.register(shardMap.localNode(), transport).map(source);
    });
  }

  /**
   * A source whose upstream is its journal (Kafka, REST polling): no journal of its own, whatever
   * {@code journal.enabled} says; its transport answers {@code position}, {@code truncate} and {@code caught-up}.
   */
  static Future<JournalledSource> openUnjournalled(Vertx vertx, String sourceId, String sourceName,
                                                   EventNormalizer normalizer, ShardMap shardMap, long dedupTimeoutMs,
                                                   Supplier<Transport> transport) {
    JournalledSource source = new JournalledSource(vertx, sourceId, sourceName, null, normalizer, shardMap,
        Integer.MAX_VALUE, dedupTimeoutMs, null);
    return source.register(shardMap.localNode(), transport).map(source);
  }

  private Future<Void> register(String node, Supplier<Transport> transport) {
    String settleAddress = Addresses.settle(node, sourceId);
    // Cluster-wide: the node that owns an event's shard settles it here, and dedup answers here, wherever it is.
    settlements = vertx.eventBus().consumer(settleAddress, msg -> {
      long seq = msg.body().seq();
      if (tracker.report(seq, msg.body().parts())) {
        pipeline.settled(seq);
      }
    });
    verdicts = vertx.eventBus().consumer(Addresses.verdicts(settleAddress),
        msg -> pending.answer(msg.body().seq(), msg.body().verdict()));
    if (shardMap.clustered()) {
      views = vertx.eventBus().<io.vertx.core.json.JsonArray>localConsumer(Addresses.clusterViewChanged(node),
          msg -> pipeline.viewChanged(msg.body().stream().map(String::valueOf).toList()));
    }
    control = vertx.eventBus().localConsumer(Addresses.ingestControl(node, sourceId),
        msg -> control(msg, transport.get()));
    return Future.all(settlements.completion(), verdicts.completion(), control.completion()).mapEmpty();
  }

  private void control(Message<JsonObject> msg, Transport transport) {
    switch (msg.body().getString("action", "")) {
      case "close" -> transport.close().onComplete(ar -> msg.reply(new JsonObject().put("inFlight",
          tracker.inFlight())));
      case "listen" -> reply(msg, transport.listen());
      case "replay-until" -> reply(msg, (replay == null ? Future.succeededFuture(Long.MAX_VALUE)
          : replay.runUntil(msg.body().getLong("bound"))).map(next -> new JsonObject().put("next", next)));
      case "replay-finish" -> (replay == null ? Future.<Void>succeededFuture() : replay.finish())
          .onComplete(ar -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      case "position" -> {
        Long own = transport.position();
        msg.reply(new JsonObject().put("settledThrough", own != null ? own : tracker.settledThrough()));
      }
      case "truncate" -> {
        long through = msg.body().getLong("through");
        Future<Void> own = transport.truncate(through);
        reply(msg, (own != null ? own : journal == null ? Future.<Void>succeededFuture()
            : journal.truncateThrough(through)).map(v -> new JsonObject()));
      }
      case "caught-up" -> transport.caughtUp().onComplete(ar -> msg.reply(new JsonObject()));
      case "status" -> msg.reply(transport.status().put("source", sourceId).put("inFlight", tracker.inFlight())
          .put("journal", journalStatus()));
      default -> awaitSettled(System.currentTimeMillis() + msg.body().getLong("timeoutMs", 0L),
          () -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
    }
  }

  private static void reply(Message<JsonObject> msg, Future<JsonObject> answer) {
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        msg.fail(500, String.valueOf(ar.cause()));
      }
    });
  }

  Admission admission() {
    return admission;
  }

  /** The source's settlement tracker: which of its events have settled. */
  SettlementTracker tracker() {
    return tracker;
  }

  /** Admitted events not yet settled. */
  int inFlight() {
    return tracker.inFlight();
  }

  /** This source's journal status for {@code /ready}: state (ok, replaying, failed, off), bytes, full. */
  JsonObject journalStatus() {
    return journal == null ? new JsonObject().put("state", "off") : journal.status();
  }

  /** Cancels the timers and closes the journal (after the transport has stopped). */
  Future<Void> close() {
    vertx.cancelTimer(verdictSweep);
    vertx.cancelTimer(settledNote);
    return journal == null ? Future.succeededFuture() : journal.close();
  }

  /** Polls its own tracker (on its own event loop) until nothing is in flight or the deadline passes. */
  private void awaitSettled(long deadline, Runnable done) {
    if (tracker.inFlight() == 0 || System.currentTimeMillis() >= deadline) {
      done.run();
      return;
    }
    vertx.setTimer(20, id -> awaitSettled(deadline, done));
  }

  @Override
  public String toString() {
    return "JournalledSource[" + Objects.requireNonNull(sourceId) + "]";
  }
}
