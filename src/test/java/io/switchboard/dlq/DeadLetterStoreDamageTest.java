package io.switchboard.dlq;

import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.DeadLetter.Stage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.dlq.DeadLetterStoreQueryTest.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Torn and corrupt lines are skipped and counted, never fatal. */
class DeadLetterStoreDamageTest {

  @TempDir
  Path dir;

  private DlqFixture dlq;
  private DeadLetterStore store;
  private final List<String> written = new ArrayList<>();

  @BeforeEach
  void startFirstFile() {
    dlq = new DlqFixture(dir);
    store = new DeadLetterStore(dir);
    dlq.rotate(DlqFixture.T0);
    written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-1", "{\"i\":1}", 1)));
  }

  @Test
  void verifiesThatATornLastLineAfterACrashIsSkippedAndCounted() throws IOException {
    String whole = DlqFixture.line("torn", dlq.dispatchFailure("crm-webhook", "c-2", "{\"i\":2}", 2));
    dlq.appendRaw(whole.substring(0, whole.length() / 2));
    // The writer restarts into a new file; the torn line will never be finished.
    dlq.rotate(DlqFixture.T0.plusSeconds(60));
    written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-3", "{\"i\":3}", 61)));

    DeadLetterStore.Page page = store.query(DeadLetterQuery.all());
    assertEquals(written, ids(page.entries()));
    assertEquals(1, page.corruptLinesSkipped());
    DeadLetterStore.Stats stats = store.stats();
    assertEquals(new DeadLetterStore.Stats(2, 2, 0, 2, 1, 0), stats);
    assertEquals(written, ids(store.getAll(List.of(written.get(1), written.get(0), "torn"))));
  }

  @Test
  void verifiesThatAnUnfinishedLineOfTheNewestFileIsAWriteInFlight() throws IOException {
    String whole = DlqFixture.line("in-flight", dlq.dispatchFailure("crm-webhook", "c-2", "{\"i\":2}", 2));
    int cut = whole.length() / 2;
    dlq.appendRaw(whole.substring(0, cut));

    DeadLetterStore.Page page = store.query(DeadLetterQuery.all().withLimit(1));
    assertEquals(written, ids(page.entries()));
    assertNull(page.nextCursor(), "nothing complete after the first entry yet");
    assertEquals(0, page.corruptLinesSkipped(), "not corrupt: the writer may still finish it");
    assertEquals(0, store.stats().corruptLines());
    assertEquals(1, store.depth());

    dlq.appendRaw(whole.substring(cut) + "\n");
    assertEquals(2, store.depth());
    assertEquals(0, store.stats().corruptLines());
    DeadLetterStore.Page first = store.query(DeadLetterQuery.all().withLimit(1));
    assertEquals(written, ids(first.entries()));
    DeadLetterStore.Page second = store.query(DeadLetterQuery.all().withCursor(first.nextCursor()));
    assertEquals(List.of("in-flight"), ids(second.entries()));
    assertNull(second.nextCursor());
  }

  @Test
  void verifiesThatCorruptLinesInTheMiddleAreSkippedAndCounted() throws IOException {
    dlq.appendRaw("this is not json\n");
    dlq.appendRaw("{\"time\":\"2024-05-01T12:00:00Z\",\"stage\":\"ingest\",\"reason\":\"shutdown\",\"payload\":{}}\n");
    dlq.appendRaw("{\"id\":\"a\",\"id\":\"b\",\"time\":\"2024-05-01T12:00:00Z\",\"stage\":\"ingest\","
        + "\"reason\":\"shutdown\",\"payload\":{}}\n");
    dlq.appendRaw("{\"id\":\"c\",\"time\":\"yesterday\",\"stage\":\"ingest\",\"reason\":\"shutdown\",\"payload\":{}}\n");
    dlq.appendRaw("{\"id\":\"d\",\"time\":\"2024-05-01T12:00:00Z\",\"stage\":\"ingest\",\"reason\":\"shutdown\","
        + "\"payload\":{},\"payloadText\":\"x\"}\n");
    dlq.appendRaw("{\"id\":\"e\",\"time\":\"2024-05-01T12:00:00Z\",\"stage\":\"ingest\",\"reason\":\"shutdown\","
        + "\"payload\":{}} trailing\n");
    dlq.appendRaw("[1,2,3]\n");
    dlq.appendRaw("\n");
    written.add(dlq.append(dlq.dispatchFailure("crm-webhook", "c-2", "{\"i\":2}", 2)));

    DeadLetterStore.Page page = store.query(DeadLetterQuery.all());
    assertEquals(written, ids(page.entries()));
    assertEquals(7, page.corruptLinesSkipped(), "the blank line is not counted");
    assertEquals(10, page.entries().get(1).line(), "line numbers count every line");
    assertEquals(7, store.stats().corruptLines());
    assertEquals(2, store.depth());
  }

  @Test
  void verifiesThatUnknownFieldsAndCodesFromANewerWriterAreAccepted() throws IOException {
    dlq.appendRaw("{\"id\":\"new\",\"time\":\"2024-05-01T12:00:05Z\",\"stage\":\"enrich\",\"reason\":\"quota_exceeded\","
        + "\"tenant\":{\"x\":[1,2]},\"payload\":{\"a\":1}}\n");
    DeadLetterEntry entry = store.get("new").orElseThrow();
    assertEquals("enrich", entry.stage());
    assertEquals("quota_exceeded", entry.reason());
    assertEquals(0, entry.attempts());
    assertNull(entry.target());
  }

  @Test
  void verifiesThatThePayloadIsKeptVerbatim() throws IOException {
    String[] payloads = {
        "{\"b\":1.10,\"a\":[1e3,-0.0,12345678901234567890123],\"s\":\"\\u00e9\\n\\\"\",\"n\":null}",
        "  {\"spaced\" :  true }  ",
        "[{\"x\":{}},[]]",
        "\"just a string with \\\" and }\"",
        "42.000",
        "true",
        "null",
        "{\"multi\":\n  \"line\"\r\n}",
    };
    String[] expected = {
        payloads[0],
        "{\"spaced\" :  true }",
        payloads[2],
        payloads[3],
        payloads[4],
        payloads[5],
        payloads[6],
        "{\"multi\":   \"line\"  }",
    };
    List<String> ids = new ArrayList<>();
    for (String payload : payloads) {
      ids.add(dlq.append(dlq.letter(Stage.VALIDATE, Reason.SCHEMA_INVALID, null, null, null, 5, payload)));
    }
    List<DeadLetterEntry> entries = store.getAll(ids);
    for (int i = 0; i < payloads.length; i++) {
      assertEquals(expected[i], entries.get(i).payload(), "payload " + i);
      String json = entries.get(i).toJson().toString();
      assertEquals(1, count(json, ",\"payload\":" + expected[i] + ","), "embedded verbatim: " + json);
    }
  }

  @Test
  void verifiesThatPayloadTextKeepsTheExactRawBody() throws IOException {
    String raw = "{\"truncated\": [1, 2,\n\tline two \u00e9 \\ \"quote\"";
    String id = dlq.append(dlq.letter(Stage.INGEST, Reason.UNPARSEABLE_JSON, null, null, null, 5, raw));
    DeadLetterEntry entry = store.get(id).orElseThrow();
    assertNull(entry.payload());
    assertEquals(raw, entry.payloadText());
    assertEquals(raw, new io.vertx.core.json.JsonObject(entry.toJson()).getString("payloadText"));
  }

  private static int count(String haystack, String needle) {
    int n = 0;
    for (int at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }
}
