package io.switchboard.verticles;

import io.switchboard.bus.ShardMap;
import io.switchboard.config.KafkaSourceConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.ItemResult;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.kafka.KafkaPoller;
import io.switchboard.kafka.OffsetNote;
import io.switchboard.kafka.PartitionLedger;
import io.switchboard.message.Replay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One consumer of a {@code kafka} source: it admits each record's value exactly as {@code POST /events} admits a
 * body, and commits each partition only up to what has settled ({@link PartitionLedger}).
 *
 * <p>The committed offset moves at checkpoints, like a journal's truncation: the stages' snapshots are written
 * first, so after a crash the records from the committed offset on rebuild what the snapshots lack. Between
 * checkpoints the commit's metadata notes the settled position ({@link OffsetNote}), so whoever reads the partition
 * next replays the records before it only to restore state and delivers only what may not have been delivered.
 * Partitions pause (the consumer keeps polling) while too much is unsettled; a revoke waits, bounded, until its
 * records settle and commits before the partition moves.
 *
 * <p>It answers the ingest control actions MainVerticle and the Checkpointer send to every source: {@code listen}
 * (start consuming), {@code position}/{@code truncate} (a checkpoint), {@code close}/{@code await} (drain), the replay
 * steps (nothing to replay: Kafka itself re-reads), plus {@code caught-up} and {@code status}.
 */
public final class KafkaSourceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceVerticle.class);
  private static final String SOURCE = "kafka";
  private static final long TICK_MILLIS = 20;
  private static final long RETRY_MILLIS = 1_000;

  private final KafkaSourceConfig config;
  private final EventNormalizer normalizer;
  private final ShardMap shardMap;
  private final String sourceId;
  private final long dedupTimeoutMs;
  private JournalledSource source;
  /** The source's tracker and admission (from {@link JournalledSource}), kept at hand for the hot paths. */
  private SettlementTracker tracker;
  private final Map<TopicPartition, PartitionLedger> ledgers = new LinkedHashMap<>();
  private final Set<TopicPartition> paused = new HashSet<>();
  private final Map<TopicPartition, Long> noted = new HashMap<>();
  private final List<Long> timers = new ArrayList<>();
  private final Promise<Void> caughtUp = Promise.promise();
  private Admission admission;
  private KafkaPoller poller;
  private boolean firstAssignment = true;
  private boolean closing;
  /** Offsets read by the checkpoint under way ({@code position}), committed by its {@code truncate}. */
  private Map<TopicPartition, Long> checkpointing = Map.of();
  private long checkpointGeneration;
  private String lastError;
  private long lastErrorAt;
  private long lastErrorLoggedAt;
  /** When polling started failing, or 0 while it works. */
  private long failingSince;
  /** Partitions taken away by rebalances, and lost without one, since start: what {@code /ready} shows. */
  private int revoked;
  private int lost;
  private java.util.concurrent.atomic.AtomicInteger uncommittedGauge;
  private java.util.concurrent.atomic.AtomicInteger unsettledGauge;
  private java.util.concurrent.atomic.AtomicInteger pausedGauge;

  /** @param dedupTimeoutMs how long an item waits for its dedup verdict before admission answers retry */
  public KafkaSourceVerticle(KafkaSourceConfig config, int instance, EventNormalizer normalizer, ShardMap shardMap,
                             long dedupTimeoutMs) {
    this.config = Objects.requireNonNull(config, "config");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.sourceId = config.sourceId(instance);
    this.dedupTimeoutMs = dedupTimeoutMs;
  }

  @Override
  public Future<?> start() {
    return JournalledSource.openUnjournalled(vertx, sourceId, SOURCE, normalizer, shardMap, dedupTimeoutMs,
        () -> new JournalledSource.Transport() {
          @Override
          public Future<JsonObject> listen() {
            KafkaSourceVerticle.this.listen();
            return Future.succeededFuture(new JsonObject());
          }

          @Override
          public Future<Void> close() {
            closing = true;
            if (poller != null) {
              poller.pause(ledgers.keySet());
              paused.addAll(ledgers.keySet());
            }
            return Future.succeededFuture();
          }

          @Override
          public JsonObject status() {
            return KafkaSourceVerticle.this.status();
          }

          @Override
          public Long position() {
            return capturePositions();
          }

          @Override
          public Future<Void> truncate(long through) {
            return commitCheckpoint(through);
          }

          @Override
          public Future<Void> caughtUp() {
            return caughtUp.future();
          }
        }).onSuccess(opened -> {
          source = opened;
          tracker = opened.tracker();
          admission = opened.admission();
          timers.add(vertx.setPeriodic(TICK_MILLIS, id -> flowControl()));
          timers.add(vertx.setPeriodic(config.settledNoteMs(), id -> noteSettled()));
          uncommittedGauge = PipelineMetrics.gaugeInt("switchboard.kafka.uncommitted.records",
              "Records read but not yet committed (the committed offset moves at checkpoints)", "source", sourceId);
          unsettledGauge = PipelineMetrics.gaugeInt("switchboard.kafka.unsettled.records",
              "Records read whose events have not all settled", "source", sourceId);
          pausedGauge = PipelineMetrics.gaugeInt("switchboard.kafka.paused.partitions",
              "Partitions paused for back-pressure", "source", sourceId);
        });
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    Future<Void> closed = poller == null ? Future.succeededFuture() : poller.close();
    return closed.compose(v -> source == null ? Future.succeededFuture() : source.close());
  }

  private void listen() {
    if (poller != null) {
      return;
    }
    Map<String, Object> owned = KafkaPoller.ownedProperties();
    owned.put("group.id", config.groupId());
    owned.put("client.id", "switchboard-" + shardMap.localNode() + "-" + sourceId);
    owned.put("auto.offset.reset", config.autoOffsetReset());
    owned.put("max.poll.records", String.valueOf(config.maxPollRecords()));
    owned.put("session.timeout.ms", String.valueOf(config.sessionTimeoutMs()));
    owned.put("heartbeat.interval.ms", String.valueOf(Math.max(100, config.sessionTimeoutMs() / 10)));
    owned.put("max.poll.interval.ms", String.valueOf(config.maxPollIntervalMs()));
    Map<String, Object> properties = config.connection().clientProperties(owned, "sources." + config.id());
    poller = KafkaPoller.start(context, properties, config.topics(), config.topicPattern(), new Events(),
        config.revokeTimeoutMs(), sourceId);
    if (config.replayTimeoutMs() >= 0) {
      timers.add(vertx.setTimer(Math.max(1, config.replayTimeoutMs()), id -> {
        if (caughtUp.tryComplete()) {
          LOG.warn("kafka source [{}] did not catch up with its partitions' ends within replayTimeoutMs; dedup stops "
              + "treating snapshot keys as claimable", sourceId);
        }
      }));
    }
  }

  /** What the poller reports, on this verticle's event loop. */
  private final class Events implements KafkaPoller.Listener {

    @Override
    public void assigned(List<KafkaPoller.Assignment> partitions) {
      for (KafkaPoller.Assignment a : partitions) {
        long settled = OffsetNote.parse(a.metadata()).orElse(a.start());
        TopicPartition tp = a.partition();
        ledgers.put(tp, new PartitionLedger(tp.topic(), tp.partition(), a.start(), settled, a.endOffset()));
        noted.put(tp, settled);
        LOG.info("kafka source [{}] assigned [{}] from offset [{}] (settled before [{}], end [{}])", sourceId, tp,
            a.start(), settled, a.endOffset());
      }
      if (closing && poller != null) {
        poller.pause(ledgers.keySet());
        paused.addAll(ledgers.keySet());
      }
      firstAssignment = false;
    }

    @Override
    public Future<Map<TopicPartition, OffsetAndMetadata>> revoked(Set<TopicPartition> partitions) {
      Promise<Map<TopicPartition, OffsetAndMetadata>> offsets = Promise.promise();
      revoked += partitions.size();
      long deadline = System.currentTimeMillis() + config.revokeTimeoutMs();
      LOG.info("kafka source [{}] revoking {}: waiting up to {} ms for their events to settle", sourceId, partitions,
          config.revokeTimeoutMs());
      awaitPartitions(partitions, deadline, () -> {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        for (TopicPartition tp : partitions) {
          PartitionLedger ledger = ledgers.remove(tp);
          paused.remove(tp);
          noted.remove(tp);
          if (ledger != null) {
            long settledBefore = ledger.committable(tracker::settled);
            if (ledger.open() > 0) {
              LOG.warn("kafka source [{}] hands [{}] over with [{}] records unsettled", sourceId, tp, ledger.open());
            }
            commit.put(tp, new OffsetAndMetadata(ledger.checkpointed(), OffsetNote.of(settledBefore)));
            ledger.cancel();
          }
        }
        offsets.complete(commit);
      });
      return offsets.future();
    }

    @Override
    public void lost(Set<TopicPartition> partitions) {
      LOG.warn("kafka source [{}] lost {} without a revoke; whoever owns them next re-reads from the last commit",
          sourceId, partitions);
      lost += partitions.size();
      for (TopicPartition tp : partitions) {
        PartitionLedger ledger = ledgers.remove(tp);
        paused.remove(tp);
        noted.remove(tp);
        if (ledger != null) {
          ledger.cancel();
        }
      }
    }

    @Override
    public void records(ConsumerRecords<byte[], byte[]> records) {
      if (closing) {
        // Fetched before the pause took hold. Admitted now, they could be parked by the drain and noted as settled,
        // and the partition's next owner (another process) would skip them; left unread, they are past the last
        // commit, and whoever owns the partition next reads them.
        return;
      }
      long now = System.currentTimeMillis();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        PartitionLedger ledger = ledgers.get(tp);
        if (ledger == null) {
          // Assigned while the assignment's offsets could not be read: start plainly here.
          ledger = new PartitionLedger(tp.topic(), tp.partition(), record.offset(), record.offset(), record.offset());
          ledgers.put(tp, ledger);
        }
        admitRecord(ledger, ledger.take(record.offset()), record.value(), now);
      }
      flowControl();
    }

    @Override
    public void pollFailed(Throwable error) {
      long now = System.currentTimeMillis();
      String why = error.toString();
      // One line per new error, and a reminder a minute, not one a second while the broker refuses us.
      if (!why.equals(lastError) || now - lastErrorLoggedAt >= 60_000) {
        LOG.warn("kafka source [{}] cannot consume: {}", sourceId, why);
        lastErrorLoggedAt = now;
      }
      if (failingSince == 0) {
        failingSince = now;
      }
      lastError = why;
      lastErrorAt = now;
    }

    @Override
    public void pollRecovered() {
      if (failingSince != 0) {
        LOG.info("kafka source [{}] consumes again after {} ms", sourceId, System.currentTimeMillis() - failingSince);
        failingSince = 0;
      }
    }
  }

  /** One attempt of one record: every item admitted, or the record dead-lettered as poison. */
  private void admitRecord(PartitionLedger ledger, PartitionLedger.Entry entry, byte[] value, long now) {
    String locator = "kafka " + ledger.topic() + "/" + ledger.partition() + "@" + entry.offset();
    Replay purpose = ledger.purposeOf(entry.offset());
    if (value == null) {
      poison(ledger, entry, Buffer.buffer(), locator + ": record has no value (a tombstone)", now);
      return;
    }
    Buffer body = Buffer.buffer(value);
    List<Future<ItemResult>> results;
    try {
      results = admission.admitAll(body, config.maxInFlight(), now, purpose, locator);
    } catch (RuntimeException e) {
      // Not JSON, not UTF-8, too deeply nested, or an array of more items than may be in flight: poison.
      poison(ledger, entry, body, locator + ": " + firstLine(e.getMessage()), now);
      return;
    }
    entry.attempt(results.size());
    for (Future<ItemResult> result : results) {
      result.onComplete(ar -> {
        ItemResult item = ar.succeeded() ? ar.result() : null;
        boolean last = item == null || item.status() == ItemResult.Status.RETRY ? entry.mustRetry()
            : entry.resulted(item.status() == ItemResult.Status.ACCEPTED ? item.seq() : 0);
        if (last && entry.retrying()) {
          retryLater(ledger, entry, value);
        }
      });
    }
  }

  /** A record that is no event at all: dead-lettered with where it was, and committed past. */
  private void poison(PartitionLedger ledger, PartitionLedger.Entry entry, Buffer body, String why, long now) {
    PipelineMetrics.ingested(SOURCE, "poison");
    entry.attempt(1);
    admission.rejectUnparseable(body, why).onComplete(ar -> {
      if (ar.succeeded()) {
        entry.resulted(0);
      } else if (entry.mustRetry()) {
        retryLater(ledger, entry, body.getBytes());
      }
    });
  }

  /** The DLQ or dedup did not answer: the record is tried again, whole (dedup absorbs items that did pass). */
  private void retryLater(PartitionLedger ledger, PartitionLedger.Entry entry, byte[] value) {
    PipelineMetrics.ingested(SOURCE, "retried");
    vertx.setTimer(RETRY_MILLIS, id -> {
      if (!entry.cancelled()) {
        admitRecord(ledger, entry, value, System.currentTimeMillis());
      }
    });
  }

  /**
   * Pauses a partition whose unsettled records reach {@code maxInFlightPerPartition}, and every partition while the
   * instance's events in flight reach {@code maxInFlight}; resumes them at half. The consumer keeps polling, so it
   * stays in the group however long a target is down. Also completes {@code caught-up} once it owns partitions and
   * every one has passed the records a crash may have left undelivered (or {@code replayTimeoutMs} passed).
   */
  private void flowControl() {
    if (poller == null) {
      return;
    }
    boolean full = tracker.inFlight() >= config.maxInFlight();
    boolean roomy = tracker.inFlight() < config.maxInFlight() / 2;
    List<TopicPartition> pause = new ArrayList<>();
    List<TopicPartition> resume = new ArrayList<>();
    boolean allCaughtUp = true;
    for (Map.Entry<TopicPartition, PartitionLedger> e : ledgers.entrySet()) {
      PartitionLedger ledger = e.getValue();
      ledger.committable(tracker::settled);
      allCaughtUp &= ledger.caughtUp();
      boolean isPaused = paused.contains(e.getKey());
      if (!isPaused && (closing || full || ledger.open() >= config.maxInFlightPerPartition())) {
        pause.add(e.getKey());
      } else if (isPaused && !closing && roomy && ledger.open() < config.maxInFlightPerPartition() / 2) {
        resume.add(e.getKey());
      }
    }
    if (!pause.isEmpty()) {
      paused.addAll(pause);
      poller.pause(pause);
    }
    if (!resume.isEmpty()) {
      paused.removeAll(resume);
      poller.resume(resume);
    }
    long uncommitted = 0;
    long unsettled = 0;
    for (PartitionLedger ledger : ledgers.values()) {
      uncommitted += ledger.nextOffset() - ledger.checkpointed();
      unsettled += ledger.open();
    }
    uncommittedGauge.set((int) Math.min(Integer.MAX_VALUE, uncommitted));
    unsettledGauge.set((int) Math.min(Integer.MAX_VALUE, unsettled));
    pausedGauge.set(paused.size());
    // Not on an empty assignment: a consumer that rejoins after a crash may get its partitions only in a later
    // round of the cooperative protocol, and their records need the replay mode as much.
    if (!firstAssignment && !ledgers.isEmpty() && allCaughtUp) {
      caughtUp.tryComplete();
    }
  }

  /**
   * Notes each partition's settled position in the commit's metadata, keeping the committed offset where the last
   * checkpoint put it. Only partitions whose position moved are written.
   */
  private void noteSettled() {
    if (poller == null || ledgers.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> notes = new HashMap<>();
    for (Map.Entry<TopicPartition, PartitionLedger> e : ledgers.entrySet()) {
      long settled = e.getValue().committable(tracker::settled);
      if (!Long.valueOf(settled).equals(noted.get(e.getKey()))) {
        noted.put(e.getKey(), settled);
        notes.put(e.getKey(), new OffsetAndMetadata(e.getValue().checkpointed(), OffsetNote.of(settled)));
      }
    }
    if (!notes.isEmpty()) {
      poller.commit(notes).onFailure(err -> LOG.debug("kafka source [{}] note not committed: {}", sourceId,
          err.toString()));
    }
  }

  /** A checkpoint's first step: each partition's committable offset now. Returns the checkpoint's number. */
  private long capturePositions() {
    Map<TopicPartition, Long> positions = new HashMap<>();
    ledgers.forEach((tp, ledger) -> positions.put(tp, ledger.committable(tracker::settled)));
    checkpointing = positions;
    return ++checkpointGeneration;
  }

  /** A checkpoint's last step: the snapshots cover the captured positions, so they may be committed. */
  private Future<Void> commitCheckpoint(long generation) {
    if (generation != checkpointGeneration || poller == null) {
      return Future.succeededFuture();
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    checkpointing.forEach((tp, offset) -> {
      PartitionLedger ledger = ledgers.get(tp);
      if (ledger != null) {
        ledger.checkpointedAt(offset);
        long settled = ledger.committable(tracker::settled);
        noted.put(tp, settled);
        commit.put(tp, new OffsetAndMetadata(ledger.checkpointed(), OffsetNote.of(settled)));
      }
    });
    checkpointing = Map.of();
    return commit.isEmpty() ? Future.succeededFuture() : poller.commit(commit);
  }

  /** Waits (bounded) until the records of {@code partitions} have all settled. */
  private void awaitPartitions(Set<TopicPartition> partitions, long deadline, Runnable done) {
    boolean settled = true;
    for (TopicPartition tp : partitions) {
      PartitionLedger ledger = ledgers.get(tp);
      if (ledger != null) {
        ledger.committable(tracker::settled);
        settled &= ledger.open() == 0;
      }
    }
    if (settled || System.currentTimeMillis() >= deadline) {
      done.run();
      return;
    }
    vertx.setTimer(TICK_MILLIS, id -> awaitPartitions(partitions, deadline, done));
  }

  private JsonObject status() {
    JsonArray partitions = new JsonArray();
    ledgers.forEach((tp, ledger) -> partitions.add(new JsonObject().put("topic", tp.topic())
        .put("partition", tp.partition()).put("committed", ledger.checkpointed())
        .put("settledBefore", ledger.committable(tracker::settled)).put("unsettledRecords", ledger.open())
        .put("paused", paused.contains(tp))));
    return new JsonObject().put("source", sourceId).put("groupId", config.groupId())
        .put("state", poller == null ? "starting" : closing ? "closed" : failingSince != 0 ? "failing" : "consuming")
        .put("inFlight", tracker.inFlight()).put("maxInFlight", config.maxInFlight())
        .put("partitions", partitions).put("revokedPartitions", revoked).put("lostPartitions", lost)
        .put("lastError", lastError).put("lastErrorAt", lastErrorAt == 0 ? null
            : java.time.Instant.ofEpochMilli(lastErrorAt).toString());
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
