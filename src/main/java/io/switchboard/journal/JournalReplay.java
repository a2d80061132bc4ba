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
 * Replays a journal's unsettled records through admission after a restart, oldest first, before the source takes
 * new input: at most {@code maxInFlight} unsettled at a time, as live traffic would be. An item the pipeline cannot
 * take right now (a "retry" result) is admitted again later as a new journalled item, since the journal is the only
 * sender it has; one replayed only to restore state is not (it settled before the restart). Completes once every replayed item has been admitted, each as accepted, duplicate or dead letter.
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
  private long replayed;
  private long retried;
  private int outstanding;
  private boolean scanned;
  private long started;
  private final List<JournalRecord> deferred = new ArrayList<>();

  public JournalReplay(Vertx vertx, IngestJournal journal, Admission admission, int maxInFlight) {
    this.vertx = vertx;
    this.journal = journal;
    this.admission = admission;
    this.maxInFlight = maxInFlight;
  }

  /** Runs on the source's event loop. */
  public Future<Void> run() {
    started = System.currentTimeMillis();
    next();
    return done.future();
  }

  private void next() {
    if (admission.inFlight() >= maxInFlight) {
      vertx.setTimer(PAUSE_MILLIS, id -> next());
      return;
    }
    journal.replayBatch(BATCH).onComplete(ar -> {
      if (ar.failed()) {
        done.tryFail(ar.cause());
        return;
      }
      if (ar.result().isEmpty()) {
        scanned = true;
        finishIfIdle();
        return;
      }
      for (JournalRecord record : ar.result()) {
        replayed++;
        outstanding++;
        admission.admitReplayed(record.seq(), record.isItem(), record.purpose(), record.item(), record.receivedAt())
            .onComplete(result -> settle(record, result.result()));
      }
      next();
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
    if (scanned && !deferred.isEmpty()) {
      deferred.forEach(this::retryLater);
      deferred.clear();
    }
    if (!scanned || outstanding > 0) {
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
