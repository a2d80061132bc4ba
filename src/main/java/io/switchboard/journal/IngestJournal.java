package io.switchboard.journal;

import io.switchboard.config.DurabilityConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.park.ParkLog;
import io.switchboard.park.Parked;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One source's journal, used from the source's event loop. Appends are grouped: while one batch is being written
 * (and, under {@code fsync: batch}, forced), the next accumulates, and each event's future completes once its batch
 * is on disk; the source acknowledges only then. The file work runs on a single worker thread of its own, one call
 * at a time, so the log needs no lock and the event loop never blocks.
 *
 * <p>Record offsets follow the source's sequence numbers ({@code seq = offset + 1}, see {@link JournalRecord}), so
 * truncating to the contiguous settled position is one number. The journal is truncated only by a checkpoint
 * (after the stages' snapshots covering those events are on disk), never past what has been written.
 *
 * <p>A write error stops the journal for good: every later append fails, so the source answers "retry" until the
 * process is restarted and the log recovered. Continuing would put offsets and sequence numbers out of step.
 */
public final class IngestJournal implements Admission.Journal {

  private static final Logger LOG = LoggerFactory.getLogger(IngestJournal.class);

  private final String source;
  private final DurabilityConfig settings;
  private final Vertx vertx;
  private final WorkerExecutor worker;
  private final ParkLog log;
  /** Which events had settled, as last noted ({@link #noteSettled}). */
  private final Path settledFile;
  /** That note as read at open: replay only restores state from these. */
  private final SettledRanges settledAtOpen;
  private SettledRanges lastNoted = SettledRanges.NONE;
  private boolean noting;
  /** Sequence numbers up to this one were on disk before this run: their appends are already done. */
  private final long replayEnd;
  private long nextSeq;
  private long writtenThrough;
  private long truncatedThrough;
  private long diskBytes;
  private List<byte[]> batch = new ArrayList<>();
  private List<Promise<Void>> waiting = new ArrayList<>();
  private long queuedBytes;
  private boolean writing;
  private boolean replaying = true;
  private Throwable failure;

  private IngestJournal(String source, DurabilityConfig settings, Vertx vertx, WorkerExecutor worker, ParkLog log,
                        Path settledFile, SettledRanges settledAtOpen) {
    this.source = source;
    this.settledFile = settledFile;
    this.settledAtOpen = settledAtOpen;
    this.settings = settings;
    this.vertx = vertx;
    this.worker = worker;
    this.log = log;
    this.replayEnd = log.nextOffset();
    this.nextSeq = log.nextOffset() + 1;
    this.writtenThrough = log.nextOffset();
    this.truncatedThrough = log.nextOffset() - log.pendingRecords();
    this.diskBytes = log.pendingBytes();
  }

  /** Opens (recovering it) the journal of {@code source} in its directory under {@code journal.dir}. */
  public static Future<IngestJournal> open(Vertx vertx, DurabilityConfig settings, String source) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("switchboard-journal-" + source, 1);
    Path dir = Path.of(settings.journalDir(), source);
    // The bound is enforced at the edge ({@link #full()}), before a sequence number is taken: a refused append
    // here would put offsets and sequence numbers out of step.
    Path settledFile = Path.of(settings.journalDir(), source + ".settled");
    return worker.executeBlocking(() -> ParkLog.open(dir, Long.MAX_VALUE, settings.segmentBytes()))
        .compose(log -> worker.executeBlocking(() -> SettledRanges.read(settledFile))
            .map(ranges -> new IngestJournal(source, settings, vertx, worker, log, settledFile, ranges)))
        .map(journal -> {
          ParkLog log = journal.log;
          if (log.pendingRecords() > 0) {
            LOG.info("journal [{}]: {} records ({} bytes) from before the restart to replay", source,
                log.pendingRecords(), log.pendingBytes());
          }
          return journal;
        })
        .onFailure(e -> worker.close());
  }

  /** The sequence number the source's tracker starts at: the oldest record not yet truncated. */
  public long firstSeq() {
    return truncatedThrough + 1;
  }

  /** Records from before this run still to be replayed, at most {@code max} per call; empty at the end. */
  public Future<List<JournalRecord>> replayBatch(int max) {
    return worker.executeBlocking(() -> log.scan(max)).map(records -> {
      List<JournalRecord> out = new ArrayList<>(records.size());
      for (Parked record : records) {
        JournalRecord decoded = JournalRecord.decode(record.offset(), record.payload());
        // Settled before the crash, but after the last checkpoint: its outcome is final, only state needs it.
        out.add(settledAtOpen.contains(decoded.seq()) ? decoded.asRestoreOnly() : decoded);
      }
      return out;
    });
  }

  /** The replay is over: checkpoints may truncate from now on. */
  public void replayDone() {
    replaying = false;
  }

  @Override
  public Future<Void> record(long seq, Buffer item, long receivedAt) {
    return append(seq, JournalRecord.item(item, receivedAt));
  }

  @Override
  public Future<Void> recordSettled(long seq, long receivedAt) {
    return append(seq, JournalRecord.settled(receivedAt));
  }

  /** Whether the unsettled bytes have reached {@code journal.maxBytes}: the source must push back (429). */
  @Override
  public boolean full() {
    return diskBytes + queuedBytes >= settings.journalMaxBytes();
  }

  /** Why the journal stopped, or null while it works. */
  public Throwable failure() {
    return failure;
  }

  /** Unsettled bytes on disk, headers included. */
  public long diskBytes() {
    return diskBytes;
  }

  /**
   * Drops every record up to {@code seq}, never past what is written, durably; a no-op while replaying, after a
   * failure, or when nothing new settled. Only a checkpoint calls this, once the snapshots covering them are written.
   */
  public Future<Void> truncateThrough(long seq) {
    long through = Math.min(seq, writtenThrough);
    if (replaying || failure != null || through <= truncatedThrough) {
      return Future.succeededFuture();
    }
    return worker.executeBlocking(() -> {
      log.commitThrough(through - 1);
      return log.pendingBytes();
    }).map(bytes -> {
      truncatedThrough = Math.max(truncatedThrough, through);
      diskBytes = bytes;
      return (Void) null;
    }).onFailure(this::fail);
  }

  /**
   * Notes durably which events have settled ({@link io.switchboard.ingest.SettlementTracker#settledThrough()} and
   * {@code settledRanges()}), if that changed and no note is being written: after a crash, the replay delivers
   * only the others again. Called a few times a second; cheap, one small file.
   */
  public void noteSettled(long through, long[] ranges) {
    if (noting || failure != null || (through == lastNoted.through()
        && java.util.Arrays.equals(ranges, lastNoted.ranges()))) {
      return;
    }
    SettledRanges note = new SettledRanges(through, ranges);
    noting = true;
    worker.executeBlocking(() -> {
      note.write(settledFile);
      return null;
    }).onComplete(ar -> {
      noting = false;
      if (ar.succeeded()) {
        lastNoted = note;
      } else {
        LOG.warn("journal [{}]: settled note not written: {}", source, String.valueOf(ar.cause()));
      }
    });
  }

  /** Waits for the batch in progress, forces what was written, and closes the log. */
  public Future<Void> close() {
    Promise<Void> idle = Promise.promise();
    awaitIdle(idle);
    return idle.future()
        .compose(v -> worker.executeBlocking(() -> {
          try (log) {
            if (failure == null) {
              log.force();
            }
          }
          return (Void) null;
        }))
        .eventually(() -> worker.close());
  }

  private void awaitIdle(Promise<Void> idle) {
    if (!writing && batch.isEmpty()) {
      idle.complete();
    } else {
      vertx.setTimer(5, id -> awaitIdle(idle));
    }
  }

  private Future<Void> append(long seq, byte[] record) {
    if (seq <= replayEnd) {
      // A replayed record: it is on disk already.
      return Future.succeededFuture();
    }
    if (failure != null) {
      return Future.failedFuture(new IllegalStateException("journal [" + source + "] stopped after an error: "
          + failure.getMessage()));
    }
    if (seq != nextSeq) {
      throw new IllegalStateException("journal [" + source + "] expected sequence number " + nextSeq + ", got " + seq);
    }
    nextSeq++;
    Promise<Void> written = Promise.promise();
    batch.add(record);
    waiting.add(written);
    queuedBytes += record.length + 8;
    if (!writing) {
      writing = true;
      if (settings.batchMaxDelayMillis() > 0) {
        vertx.setTimer(settings.batchMaxDelayMillis(), id -> flush());
      } else {
        flush();
      }
    }
    return written.future();
  }

  private void flush() {
    List<byte[]> records = batch;
    List<Promise<Void>> promises = waiting;
    long bytes = queuedBytes;
    batch = new ArrayList<>();
    waiting = new ArrayList<>();
    boolean force = settings.fsync() == DurabilityConfig.Fsync.BATCH;
    worker.executeBlocking(() -> {
      log.append(records, force);
      return log.pendingBytes();
    }).onComplete(ar -> {
      queuedBytes -= bytes;
      if (ar.succeeded()) {
        diskBytes = ar.result();
        writtenThrough += records.size();
        promises.forEach(Promise::complete);
      } else {
        fail(ar.cause());
        promises.forEach(p -> p.fail(ar.cause()));
      }
      if (batch.isEmpty()) {
        writing = false;
      } else if (failure != null) {
        List<Promise<Void>> stranded = waiting;
        batch = new ArrayList<>();
        waiting = new ArrayList<>();
        queuedBytes = 0;
        writing = false;
        stranded.forEach(p -> p.fail(failure));
      } else {
        flush();
      }
    });
  }

  private void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
      LOG.error("journal [{}] stopped: {}; ingest answers 503 until a restart recovers it", source,
          String.valueOf(cause));
    }
  }

  /** For {@code /ready}: state (ok, replaying, failed), unsettled bytes on disk, and whether it is full. */
  public io.vertx.core.json.JsonObject status() {
    io.vertx.core.json.JsonObject status = new io.vertx.core.json.JsonObject()
        .put("state", failure != null ? "failed" : replaying ? "replaying" : "ok")
        .put("unsettledBytes", diskBytes).put("maxBytes", settings.journalMaxBytes()).put("full", full());
    if (failure != null) {
      status.put("error", String.valueOf(failure.getMessage()));
    }
    return status;
  }
}
