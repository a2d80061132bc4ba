package io.switchboard.journal;

import io.switchboard.ingest.Admission;
import io.switchboard.ingest.ItemResult;
import io.switchboard.message.Replay;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays one source's journal through admission after a restart, oldest first, before the source takes new input,
 * in steps of arrival time: {@link #runUntil} admits the records that arrived up to a bound, so that a coordinator
 * can move every source's replay forward together and a conversation whose events went to different sources
 * comes back in the order it arrived (ReplayCoordinator). At most {@code maxInFlight} are unsettled at a time, as
 * with live traffic.
 *
 * <p>An item the pipeline cannot take right now (a "retry" result) is admitted again once the journal is read, as a
 * new journalled item, since the journal is the only sender it has; one replayed only to restore state is not (it
 * settled before the restart). Runs on the source's event loop.
 */
public final class JournalReplay {

  private static final Logger LOG = LoggerFactory.getLogger(JournalReplay.class);
  private static final int BATCH = 256;
  private static final long PAUSE_MILLIS = 10;
  private static final long RETRY_MILLIS = 200;

  private final Vertx vertx;
  private final IngestJournal journal;
  private final Admission admission;
  private final int maxInFlight;
  private final Promise<Void> done = Promise.promise();
  private final List<JournalRecord> deferred = new ArrayList<>();
  private List<JournalRecord> batch = List.of();
  private int index;
  private boolean scanned;
  private boolean finishing;
  private long replayed;
  private long retried;
  private int outstanding;
  private long started = -1;

  public JournalReplay(Vertx vertx, IngestJournal journal, Admission admission, int maxInFlight) {
    this.vertx = vertx;
    this.journal = journal;
    this.admission = admission;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Admits, in journal order, the records that arrived at or before {@code bound} (epoch ms), stopping at the first
   * later one. Completes with that record's arrival time, or {@link Long#MAX_VALUE} once the journal is read.
   */
  public Future<Long> runUntil(long bound) {
    if (started < 0) {
      started = System.currentTimeMillis();
    }
    Promise<Long> reached = Promise.promise();
    step(bound, reached);
    return reached.future();
  }

  /** Completes once every replayed record is admitted (accepted, duplicate or dead letter); then checkpoints may truncate. */
  public Future<Void> finish() {
    finishing = true;
    finishIfIdle();
    return done.future();
  }

  private void step(long bound, Promise<Long> reached) {
    while (index < batch.size()) {
      JournalRecord record = batch.get(index);
      if (record.receivedAt() > bound) {
        reached.complete(record.receivedAt());
        return;
      }
      if (admission.inFlight() >= maxInFlight) {
        vertx.setTimer(PAUSE_MILLIS, id -> step(bound, reached));
        return;
      }
      index++;
      replayed++;
      outstanding++;
      admission.admitReplayed(record.seq(), record.isItem(), record.purpose(), record.item(), record.receivedAt())
          .onComplete(result -> settle(record, result.result()));
    }
    if (scanned) {
      reached.complete(Long.MAX_VALUE);
      return;
    }
    journal.replayBatch(BATCH).onComplete(ar -> {
      if (ar.failed()) {
        reached.fail(ar.cause());
        return;
      }
      batch = ar.result();
      index = 0;
      scanned = batch.isEmpty();
      step(bound, reached);
    });
  }

  private void settle(JournalRecord record, ItemResult result) {
    if (result != null && result.status() == ItemResult.Status.RETRY && record.purpose() == Replay.DELIVER) {
      retried++;
      if (scanned) {
        retryLater(record);
      } else {
        // A new admission takes the next sequence number, which belongs to a record not yet replayed: wait.
        deferred.add(record);
      }
      return;
    }
    outstanding--;
    finishIfIdle();
  }

  private void retryLater(JournalRecord record) {
    vertx.setTimer(RETRY_MILLIS, id -> admission.admit(0, record.item().toJsonObject(), record.item(),
        record.receivedAt()).onComplete(again -> settle(record, again.result())));
  }

  private void finishIfIdle() {
    if (!finishing || !scanned) {
      return;
    }
    if (!deferred.isEmpty()) {
      deferred.forEach(this::retryLater);
      deferred.clear();
    }
    if (outstanding > 0) {
      return;
    }
    journal.replayDone();
    if (replayed > 0) {
      LOG.info("journal replay done: {} records in {} ms ({} admitted again after a retry)", replayed,
          System.currentTimeMillis() - started, retried);
    }
    done.tryComplete();
  }
}
