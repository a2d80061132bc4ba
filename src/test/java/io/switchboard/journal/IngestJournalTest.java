package io.switchboard.journal;

import io.switchboard.config.ConfigNode;
import io.switchboard.config.DurabilityConfig;
import io.switchboard.message.Replay;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestJournalTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private DurabilityConfig settings(long maxBytes) {
    return DurabilityConfig.from(new ConfigNode(new JsonObject().put("dir", dir.toString()).put("maxBytes", maxBytes)
        .put("segmentBytes", 1 << 16), "journal"), new ConfigNode(new JsonObject(), "checkpoint"));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  /** Runs {@code work} on a context of its own, as a source's event loop would, and waits for its result. */
  private <T> T onContext(java.util.function.Supplier<Future<T>> work) throws Exception {
    io.vertx.core.Promise<T> done = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> work.get().onComplete(done));
    return await(done.future());
  }

  private static Buffer item(int n) {
    return Buffer.buffer("{\"n\":" + n + "}");
  }

  private List<JournalRecord> replayAll(IngestJournal journal) throws Exception {
    List<JournalRecord> all = new ArrayList<>();
    for (List<JournalRecord> batch; !(batch = onContext(() -> journal.replayBatch(7))).isEmpty(); ) {
      all.addAll(batch);
    }
    return all;
  }

  @Test
  void groupCommitsEveryRecordAndReplaysThemInOrderAfterAReopen() throws Exception {
    IngestJournal journal = onContext(() -> IngestJournal.open(vertx, settings(1 << 20), "http-0"));
    assertEquals(1, journal.firstSeq());
    onContext(() -> {
      // Appended in one go from the event loop: they share batches, and every future completes.
      List<Future<Void>> written = new ArrayList<>();
      for (int n = 1; n <= 100; n++) {
        written.add(n % 10 == 0 ? journal.recordSettled(n, 1_000 + n) : journal.record(n, item(n), 1_000 + n));
      }
      return Future.all(written).mapEmpty();
    });
    onContext(journal::close);

    IngestJournal reopened = onContext(() -> IngestJournal.open(vertx, settings(1 << 20), "http-0"));
    assertEquals(1, reopened.firstSeq());
    List<JournalRecord> replayed = replayAll(reopened);
    assertEquals(100, replayed.size());
    for (int n = 1; n <= 100; n++) {
      JournalRecord record = replayed.get(n - 1);
      assertEquals(n, record.seq());
      assertEquals(1_000 + n, record.receivedAt());
      assertEquals(n % 10 != 0, record.isItem(), "record " + n);
      if (record.isItem()) {
        assertEquals(item(n), record.item());
        assertEquals(Replay.DELIVER, record.purpose());
      }
    }
    onContext(reopened::close);
  }

  @Test
  void replaysOnlyWhatWasNotTruncatedAndRestoresWhatHadSettled() throws Exception {
    IngestJournal journal = onContext(() -> IngestJournal.open(vertx, settings(1 << 20), "http-0"));
    onContext(() -> {
      List<Future<Void>> written = new ArrayList<>();
      for (int n = 1; n <= 20; n++) {
        written.add(journal.record(n, item(n), n));
      }
      return Future.all(written).mapEmpty();
    });
    journal.replayDone();
    onContext(() -> journal.truncateThrough(5));
    // 6..8 settled beyond the truncation, and 12..13: replayed to restore state only.
    vertx.runOnContext(v -> journal.noteSettled(8, new long[] {12, 13}));
    Thread.sleep(300);
    onContext(journal::close);

    IngestJournal reopened = onContext(() -> IngestJournal.open(vertx, settings(1 << 20), "http-0"));
    assertEquals(6, reopened.firstSeq());
    List<JournalRecord> replayed = replayAll(reopened);
    assertEquals(15, replayed.size());
    for (JournalRecord record : replayed) {
      long seq = record.seq();
      boolean settled = seq <= 8 || seq == 12 || seq == 13;
      assertEquals(settled ? Replay.RESTORE_ONLY : Replay.DELIVER, record.purpose(), "record " + seq);
    }
    onContext(reopened::close);
  }

  @Test
  void pushesBackAtItsBoundAndKeepsSequenceNumbersInStep() throws Exception {
    IngestJournal journal = onContext(() -> IngestJournal.open(vertx, settings(1 << 16), "http-0"));
    assertFalse(journal.full());
    Buffer big = Buffer.buffer(new byte[20_000]);
    onContext(() -> Future.all(journal.record(1, big, 1), journal.record(2, big, 2), journal.record(3, big, 3))
        .mapEmpty());
    assertFalse(journal.full(), "60 kB of a 64 kB bound");
    onContext(() -> journal.record(4, big, 4));
    assertTrue(journal.full(), "past the bound: the source answers 429 before taking another sequence number");
    IllegalStateException outOfStep = assertThrows(IllegalStateException.class,
        () -> onContextThrowing(() -> journal.record(9, big, 9)));
    assertTrue(outOfStep.getMessage().contains("expected sequence number 5"), outOfStep.getMessage());
    journal.replayDone();
    onContext(() -> journal.truncateThrough(4));
    assertFalse(journal.full(), "truncation frees the journal");
    onContext(journal::close);
  }

  private void onContextThrowing(java.util.function.Supplier<Future<Void>> work) throws Exception {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      try {
        work.get().onComplete(done);
      } catch (RuntimeException e) {
        done.fail(e);
      }
    });
    try {
      await(done.future());
    } catch (java.util.concurrent.ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
  }
}
