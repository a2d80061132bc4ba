package io.switchboard.dlq;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import static io.switchboard.dlq.DeadLetterStoreQueryTest.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Lookups by id, replay bookkeeping and depth. */
class DeadLetterStoreReplayTest {

  private static final Instant AT = Instant.parse("2024-05-02T09:00:00Z");

  @TempDir
  Path dir;

  private DlqFixture dlq;
  private DeadLetterStore store;
  private final List<String> written = new ArrayList<>();

  @BeforeEach
  void writeTwoFiles() {
    dlq = new DlqFixture(dir);
    store = new DeadLetterStore(dir);
    dlq.rotate(DlqFixture.T0);
    for (int i = 0; i < 3; i++) {
      written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-" + i, "{\"i\":" + i + "}", i)));
    }
    dlq.rotate(DlqFixture.T0.plusSeconds(10));
    for (int i = 3; i < 5; i++) {
      written.add(dlq.append(dlq.dispatchFailure("kinesis", "c-" + i, "{\"i\":" + i + "}", 10 + i)));
    }
  }

  @Test
  void verifiesThatGetFindsAnEntryByIdInAnyFile() throws IOException {
    DeadLetterEntry entry = store.get(written.get(3)).orElseThrow();
    assertEquals("c-3", entry.conversationId());
    assertEquals(1, entry.line());
    assertTrue(store.get("no-such-id").isEmpty());
  }

  @Test
  void verifiesThatGetAllReturnsTheFoundEntriesInQueueOrder() throws IOException {
    List<DeadLetterEntry> found = store.getAll(List.of(written.get(4), "missing", written.get(0), written.get(4)));
    assertEquals(List.of(written.get(0), written.get(4)), ids(found));
    assertEquals(List.of(), store.getAll(List.of()));
  }

  @Test
  void verifiesThatGetFindsAnEntryWhoseIdIsNotFirstOnItsLine() throws IOException {
    Files.writeString(dlq.current(), "{\"time\":\"2024-05-01T13:00:00Z\",\"stage\":\"state\",\"reason\":\"internal_error\","
        + "\"id\":\"hand-written\",\"payload\":{}}\n", java.nio.file.StandardOpenOption.APPEND);
    assertEquals("internal_error", store.get("hand-written").orElseThrow().reason());
  }

  @Test
  void verifiesThatASuccessfulReplayMarksTheEntryReplayedAndLowersTheDepth() throws IOException {
    assertEquals(5, store.depth());
    DeadLetterEntry marked = store.markReplayed(written.get(1), "delivered", "crm-webhook", AT);
    assertTrue(marked.replayed());
    assertEquals(new ReplayStatus(ReplayOutcome.DELIVERED, "crm-webhook", AT), marked.lastReplay());

    DeadLetterEntry reread = store.get(written.get(1)).orElseThrow();
    assertTrue(reread.replayed());
    assertEquals(marked.lastReplay(), reread.lastReplay());
    assertEquals(4, store.depth());
    assertEquals(List.of(written.get(1)), ids(page(Map.of("replayed", "true"))));
    assertEquals(List.of(written.get(0), written.get(2), written.get(3), written.get(4)),
        ids(page(Map.of("replayed", "false"))));
    store.markReplayed(written.get(4), "requeued", null, AT);
    assertEquals(3, store.depth(), "requeued hands the event back to the pipeline: it left the queue");
  }

  @Test
  void verifiesThatTheLatestReplayOutcomeDecides() throws IOException {
    store.markReplayed(written.get(0), "delivered", "crm-webhook", AT);
    store.markReplayed(written.get(0), "dead_lettered_again", "crm-webhook", AT.plusSeconds(60));
    DeadLetterEntry entry = store.get(written.get(0)).orElseThrow();
    assertFalse(entry.replayed());
    assertEquals(ReplayOutcome.DEAD_LETTERED_AGAIN, entry.lastReplay().outcome());
    assertEquals(AT.plusSeconds(60), entry.lastReplay().at());
    assertEquals(5, store.depth());
    assertEquals(List.of(), ids(page(Map.of("replayed", "true"))));
    store.markReplayed(written.get(0), "delivered", "crm-webhook", AT.plusSeconds(120));
    assertEquals(4, store.depth());
  }

  @Test
  void verifiesThatReplaysGoToTheJournalAndDlqFilesAreNeverRewritten() throws IOException {
    Path first = dir.resolve(store.get(written.get(0)).orElseThrow().file());
    byte[] before = Files.readAllBytes(first);
    DeadLetterEntry entry = store.getAll(List.of(written.get(0))).get(0);
    store.markReplayed(entry, "delivered", "crm-webhook", AT);
    store.markReplayed(entry, "delivered", "crm-webhook", AT.plusSeconds(1));
    assertArrayEquals(before, Files.readAllBytes(first));
    List<String> journal = Files.readAllLines(dir.resolve("replays.jsonl"));
    assertEquals(2, journal.size());
    JsonObject line = new JsonObject(journal.get(0));
    assertEquals(written.get(0), line.getString("id"));
    assertEquals("delivered", line.getString("outcome"));
    assertEquals("2024-05-02T09:00:00Z", line.getString("at"));
    assertEquals(first.getFileName().toString(), line.getString("file"));
  }

  @Test
  void verifiesThatMarkingAnUnknownIdOrOutcomeIsRejected() throws IOException {
    assertThrows(NoSuchElementException.class, () -> store.markReplayed("no-such-id", "delivered", null, AT));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.markReplayed(written.get(0), "done", null, AT));
    assertTrue(e.getMessage().startsWith("outcome must be one of delivered, dead_lettered_again, requeued"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("replays.jsonl")), "nothing recorded");
  }

  @Test
  void verifiesThatDepthFollowsAppendsAndDeletedFiles() throws IOException {
    store.markReplayed(written.get(0), "delivered", "crm-webhook", AT);
    assertEquals(4, store.depth());
    dlq.append(dlq.dispatchFailure("kinesis", "c-9", "{}", 20));
    assertEquals(5, store.depth());
    Files.delete(dir.resolve(store.get(written.get(3)).orElseThrow().file()));
    assertEquals(2, store.depth());
    Files.delete(dir.resolve(store.get(written.get(0)).orElseThrow().file()));
    DeadLetterStore.Stats stats = store.stats();
    assertEquals(new DeadLetterStore.Stats(0, 0, 0, 0, 0, 0), stats, "replays of deleted entries do not count");
  }

  @Test
  void verifiesThatUnchangedFilesAreNotReadAgainAndGrownFilesOnlyFromWhereTheyGrew() throws IOException {
    assertEquals(5, store.depth());
    // Damage the first line in place, keeping size and modification time: a rescan would see it, the cache not.
    Path file = dlq.current();
    var modified = Files.getLastModifiedTime(file);
    byte[] bytes = Files.readAllBytes(file);
    bytes[0] = 'X';
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, modified);
    assertEquals(5, store.stats().entries());
    assertEquals(0, store.stats().corruptLines());
    dlq.append(dlq.dispatchFailure("kinesis", "c-9", "{}", 20));
    assertEquals(6, store.stats().entries(), "only the appended line was read");
    assertEquals(0, store.stats().corruptLines());
    assertEquals(1, new DeadLetterStore(dir).stats().corruptLines(), "a fresh store reads it all and sees the damage");
  }

  @Test
  void verifiesThatManyReplaysInARowAreAllRecorded() throws Exception {
    // One owner calls the store one call at a time (the DLQ writer; concurrent requests are covered there).
    List<DeadLetterEntry> entries = store.getAll(written);
    for (int round = 0; round < 20; round++) {
      for (DeadLetterEntry entry : entries) {
        store.markReplayed(entry, "delivered", null, AT);
      }
    }
    assertEquals(100, Files.readAllLines(dir.resolve("replays.jsonl")).size());
    DeadLetterStore.Stats stats = store.stats();
    assertEquals(0, stats.depth());
    assertEquals(0, stats.corruptJournalLines());
  }

  @Test
  void verifiesThatATornJournalLineIsSkippedAndTheNextReplayStillCounts() throws IOException {
    store.markReplayed(written.get(0), "delivered", null, AT);
    Files.writeString(dir.resolve("replays.jsonl"), "{\"id\":\"" + written.get(1) + "\",\"outc",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    DeadLetterStore.Stats torn = store.stats();
    assertEquals(4, torn.depth());
    assertEquals(1, torn.corruptJournalLines());
    store.markReplayed(written.get(2), "delivered", null, AT);
    DeadLetterStore.Stats after = store.stats();
    assertEquals(3, after.depth(), "the torn fragment did not swallow the new line");
    assertEquals(1, after.corruptJournalLines());
    assertTrue(store.get(written.get(2)).orElseThrow().replayed());
    assertFalse(store.get(written.get(1)).orElseThrow().replayed());
  }

  @Test
  void verifiesThatEntryJsonCarriesReplayStatus() throws IOException {
    DeadLetterEntry entry = store.markReplayed(written.get(0), "delivered", "crm-webhook", AT);
    JsonObject json = new JsonObject(entry.toJson());
    assertEquals(true, json.getBoolean("replayed"));
    assertEquals(new JsonObject().put("outcome", "delivered").put("target", "crm-webhook")
        .put("at", "2024-05-02T09:00:00Z"), json.getJsonObject("lastReplay"));
    JsonObject fresh = new JsonObject(store.get(written.get(1)).orElseThrow().toJson());
    assertEquals(false, fresh.getBoolean("replayed"));
    assertTrue(fresh.containsKey("lastReplay"));
    assertNull(fresh.getValue("lastReplay"));
    assertEquals(Set.of("id", "time", "stage", "reason", "error", "target", "attempts", "firstAttemptAt",
        "lastAttemptAt", "eventId", "conversationId", "payload", "file", "line", "replayed", "lastReplay"),
        fresh.fieldNames());
  }

  private List<DeadLetterEntry> page(Map<String, String> params) throws IOException {
    return store.query(DeadLetterQuery.fromParams(params)).entries();
  }
}
