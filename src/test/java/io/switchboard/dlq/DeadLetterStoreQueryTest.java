package io.switchboard.dlq;

import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.DeadLetter.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listing and filtering over several rotated files, and paging through them with cursors. */
class DeadLetterStoreQueryTest {

  @TempDir
  Path dir;

  private DlqFixture dlq;
  private DeadLetterStore store;
  /** Ids in write order, across all files. */
  private final List<String> written = new ArrayList<>();

  @BeforeEach
  void writeThreeFiles() {
    dlq = new DlqFixture(dir);
    store = new DeadLetterStore(dir);
    dlq.rotate(DlqFixture.T0);
    written.add(dlq.append(dlq.letter(Stage.INGEST, Reason.UNPARSEABLE_JSON, null, null, null, 0, "{not json")));
    written.add(dlq.append(dlq.letter(Stage.VALIDATE, Reason.SCHEMA_INVALID, null, "e-2", "c-1", 10, "{\"a\":1}")));
    written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-1", "{\"n\":3}", 20)));
    dlq.rotate(DlqFixture.T0.plusSeconds(25));
    written.add(dlq.append(dlq.letter(Stage.STATE, Reason.INVALID_TRANSITION, null, "e-4", "c-2", 30, "{}")));
    dlq.rotate(DlqFixture.T0.plusSeconds(35));
    written.add(dlq.append(dlq.dispatchFailure("kinesis", "c-2", "{\"n\":5}", 40)));
    written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-3", "{\"n\":6}", 50)));
    written.add(dlq.append(dlq.letter(Stage.REORDER, Reason.LATE_EVENT, null, "e-7", "c-1", 60, "[1,2]")));
  }

  @Test
  void verifiesThatAQueryWithoutFiltersReturnsEverythingOldestFirstAcrossFiles() throws IOException {
    DeadLetterStore.Page page = store.query(DeadLetterQuery.all());
    assertEquals(written, ids(page.entries()));
    assertNull(page.nextCursor(), "everything fit: the end was reached");
    assertEquals(0, page.corruptLinesSkipped());
    DeadLetterEntry first = page.entries().get(0);
    assertEquals(dlq.current().getFileName().toString(), page.entries().get(6).file());
    assertEquals(1, first.line());
    assertEquals(3, page.entries().get(2).line());
    assertEquals(1, page.entries().get(3).line(), "line numbers restart in each file");
  }

  @Test
  void verifiesThatEachFilterSelectsOnlyMatchingEntries() throws IOException {
    assertEquals(List.of(written.get(1)), ids(query(Map.of("reason", "schema_invalid"))));
    assertEquals(List.of(written.get(2), written.get(4), written.get(5)), ids(query(Map.of("stage", "dispatch"))));
    assertEquals(List.of(written.get(2), written.get(5)), ids(query(Map.of("target", "crm-webhook"))));
    assertEquals(List.of(written.get(1), written.get(2), written.get(6)), ids(query(Map.of("conversationId", "c-1"))));
    assertEquals(List.of(written.get(3)), ids(query(Map.of("eventId", "e-4"))));
    assertEquals(List.of(written.get(2)), ids(query(Map.of("conversationId", "c-1", "target", "crm-webhook"))));
    assertEquals(List.of(), ids(query(Map.of("reason", "shutdown"))));
  }

  @Test
  void verifiesThatAFilterValueNeedingEscapesStillMatches() throws IOException {
    String odd = "c-\"quoted\"\\é";
    String id = dlq.append(dlq.letter(Stage.STATE, Reason.STAGE_CAP_EXCEEDED, null, "e-8", odd, 70, "{}"));
    assertEquals(List.of(id), ids(query(Map.of("conversationId", odd))));
    assertEquals(List.of(), ids(query(Map.of("conversationId", "c-\"quoted\""))));
  }

  @Test
  void verifiesThatTheTimeRangeIncludesFromAndExcludesTo() throws IOException {
    List<DeadLetterEntry> inRange = query(Map.of("from", "2024-05-01T12:00:10Z", "to", "2024-05-01T12:00:40Z"));
    assertEquals(written.subList(1, 4), ids(inRange));
    assertEquals(written.subList(5, 7), ids(query(Map.of("from", "2024-05-01T12:00:41Z"))));
    assertEquals(written.subList(0, 1), ids(query(Map.of("to", "2024-05-01T12:00:00.001Z"))));
  }

  @Test
  void verifiesThatPagingWithTheCursorCrossesFilesWithoutSkippingOrRepeating() throws IOException {
    for (int limit = 1; limit <= 8; limit++) {
      assertEquals(written, ids(allPages(DeadLetterQuery.all().withLimit(limit))), "limit " + limit);
    }
  }

  @Test
  void verifiesThatAPageEndingExactlyAtTheLastEntryHasNoCursor() throws IOException {
    DeadLetterStore.Page page = store.query(DeadLetterQuery.all().withLimit(written.size()));
    assertEquals(written, ids(page.entries()));
    assertNull(page.nextCursor());
    DeadLetterStore.Page filtered = store.query(DeadLetterQuery.fromParams(Map.of("stage", "dispatch", "limit", "3")));
    assertEquals(3, filtered.entries().size());
    assertNull(filtered.nextCursor(), "no further dispatch entry after the third");
  }

  @Test
  void verifiesThatEntriesAppendedBetweenPagesAreNeitherSkippedNorRepeated() throws IOException {
    List<String> seen = new ArrayList<>();
    DeadLetterQuery query = DeadLetterQuery.all().withLimit(2);
    DeadLetterStore.Page page = store.query(query);
    seen.addAll(ids(page.entries()));
    page = store.query(query.withCursor(page.nextCursor()));
    seen.addAll(ids(page.entries()));
    // The writer keeps appending to the newest file, then rotates.
    written.add(dlq.append(dlq.dispatchFailure("kinesis", "c-4", "{}", 70)));
    page = store.query(query.withCursor(page.nextCursor()));
    seen.addAll(ids(page.entries()));
    dlq.rotate(DlqFixture.T0.plusSeconds(75));
    written.add(dlq.append(dlq.dispatchFailure("kinesis", "c-5", "{}", 80)));
    written.add(dlq.append(dlq.dispatchFailure("kinesis", "c-6", "{}", 90)));
    while (page.nextCursor() != null) {
      page = store.query(query.withCursor(page.nextCursor()));
      seen.addAll(ids(page.entries()));
    }
    assertEquals(written, seen);
  }

  @Test
  void verifiesThatAFinalPageCursorPicksUpWhatIsAppendedLater() throws IOException {
    DeadLetterQuery query = DeadLetterQuery.all().withLimit(written.size() - 1);
    DeadLetterStore.Page page = store.query(query);
    String cursor = page.nextCursor();
    assertNotNull(cursor);
    String later = dlq.append(dlq.dispatchFailure("kinesis", "c-9", "{}", 100));
    assertEquals(List.of(written.get(written.size() - 1), later), ids(store.query(query.withCursor(cursor)).entries()));
  }

  @Test
  void verifiesThatACursorWhoseFileWasDeletedResumesAtTheNextFile() throws IOException {
    DeadLetterStore.Page page = store.query(DeadLetterQuery.all().withLimit(2));
    assertEquals(written.subList(0, 2), ids(page.entries()));
    // The cursor points into the middle of the first file, which retention now removes.
    Files.delete(dir.resolve(page.entries().get(1).file()));
    assertEquals(written.subList(3, 7), ids(store.query(DeadLetterQuery.all().withCursor(page.nextCursor())).entries()));
  }

  @Test
  void verifiesThatTheScanBudgetEndsPagesEarlyWithoutLosingEntries() throws IOException {
    DeadLetterStore tight = new DeadLetterStore(dir, 1);
    DeadLetterStore.Page first = tight.query(DeadLetterQuery.all());
    assertEquals(1, first.entries().size(), "one line read per page");
    assertNotNull(first.nextCursor());
    List<DeadLetterEntry> all = new ArrayList<>(first.entries());
    DeadLetterStore.Page page = first;
    int pages = 1;
    while (page.nextCursor() != null) {
      page = tight.query(DeadLetterQuery.all().withCursor(page.nextCursor()));
      all.addAll(page.entries());
      pages++;
    }
    assertEquals(written, ids(all));
    assertEquals(written.size() + 1, pages, "the last page is empty and says so with a null cursor");
    DeadLetterStore.Page emptyButMore = tight.query(DeadLetterQuery.fromParams(Map.of("stage", "reorder")));
    assertEquals(List.of(), emptyButMore.entries());
    assertNotNull(emptyButMore.nextCursor(), "an empty page is not the end while the cursor is set");
  }

  @Test
  void verifiesThatPayloadTextEntriesKeepTheRawText() throws IOException {
    DeadLetterEntry entry = query(Map.of("reason", "unparseable_json")).get(0);
    assertNull(entry.payload());
    assertEquals("{not json", entry.payloadText());
    assertEquals("ingest", entry.stage());
    assertNull(entry.conversationId());
  }

  @Test
  void verifiesThatAllWriterFieldsAreRead() throws IOException {
    DeadLetterEntry entry = query(Map.of("eventId", "evt-1")).get(0);
    assertEquals(written.get(2), entry.id());
    assertEquals(DlqFixture.T0.plusSeconds(20), entry.time());
    assertEquals("dispatch", entry.stage());
    assertEquals("retries_exhausted", entry.reason());
    assertEquals("HTTP 503 from crm-webhook", entry.error());
    assertEquals("crm-webhook", entry.target());
    assertEquals(5, entry.attempts());
    assertEquals(DlqFixture.T0.plusSeconds(20).minusSeconds(60), entry.firstAttemptAt());
    assertEquals(DlqFixture.T0.plusSeconds(20).minusSeconds(1), entry.lastAttemptAt());
    assertEquals("c-1", entry.conversationId());
    assertEquals("{\"n\":3}", entry.payload());
    assertNull(entry.payloadText());
    assertNull(entry.lastReplay());
    assertTrue(!entry.replayed());
  }

  @Test
  void verifiesThatAMissingDirectoryIsAnEmptyQueue() throws IOException {
    DeadLetterStore nothing = new DeadLetterStore(dir.resolve("not-yet"));
    DeadLetterStore.Page page = nothing.query(DeadLetterQuery.all());
    assertEquals(List.of(), page.entries());
    assertNull(page.nextCursor());
    assertEquals(0, nothing.depth());
    assertTrue(nothing.get("x").isEmpty());
  }

  @Test
  void verifiesThatOtherFilesInTheDirectoryAreIgnored() throws IOException {
    Files.writeString(dir.resolve("deadletters-latest.jsonl"), "garbage\n");
    Files.writeString(dir.resolve("notes.txt"), "garbage\n");
    store.markReplayed(written.get(0), "requeued", null, Instant.now());
    DeadLetterStore.Page page = store.query(DeadLetterQuery.all());
    assertEquals(written, ids(page.entries()));
    assertEquals(0, page.corruptLinesSkipped());
  }

  private List<DeadLetterEntry> query(Map<String, String> params) throws IOException {
    DeadLetterStore.Page page = store.query(DeadLetterQuery.fromParams(params));
    assertNull(page.nextCursor(), "small queue: one page");
    return page.entries();
  }

  private List<DeadLetterEntry> allPages(DeadLetterQuery query) throws IOException {
    List<DeadLetterEntry> all = new ArrayList<>();
    DeadLetterStore.Page page = store.query(query);
    all.addAll(page.entries());
    while (page.nextCursor() != null) {
      assertTrue(page.entries().size() <= query.limit());
      page = store.query(query.withCursor(page.nextCursor()));
      all.addAll(page.entries());
    }
    return all;
  }

  static List<String> ids(List<DeadLetterEntry> entries) {
    return entries.stream().map(DeadLetterEntry::id).toList();
  }
}
