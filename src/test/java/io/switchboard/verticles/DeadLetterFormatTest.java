package io.switchboard.verticles;

import io.switchboard.dlq.DeadLetterEntry;
import io.switchboard.dlq.DeadLetterQuery;
import io.switchboard.dlq.DeadLetterStore;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The DLQ writer's line format read back by the store that serves {@code GET /dlq} and replay: the store's
 * own tests use a hand-made copy of the format, so this keeps the two from drifting apart.
 */
class DeadLetterFormatTest {

  @TempDir
  Path dir;

  @Test
  void verifiesThatWhatTheWriterWritesTheStoreReadsBackFieldForField() throws Exception {
    String payload = "{\n  \"id\": \"e-1\",\n  \"detail\": {\"note\": \"line\\nbreak\"}\n}";
    DeadLetter dispatch = new DeadLetter(new Ticket("o", 1), DeadLetter.Stage.DISPATCH,
        DeadLetter.Reason.RETRIES_EXHAUSTED, "gave up after 3 attempts: status 503", "crm", "e-1", "c-1", 3,
        1_700_000_000_000L, 1_700_000_005_000L, 1_700_000_006_000L, Buffer.buffer(payload), 3);
    DeadLetter unparseable = new DeadLetter(Ticket.NONE, DeadLetter.Stage.INGEST, DeadLetter.Reason.UNPARSEABLE_JSON,
        "invalid JSON: unexpected end", null, null, null, 1, 1_700_000_007_000L, 1_700_000_007_000L,
        1_700_000_007_000L, Buffer.buffer("{\"cut\": \"in hal"), 0);
    Files.write(dir.resolve("deadletters-20231114-221320-000.jsonl"),
        Buffer.buffer().appendBuffer(DeadLetterWriterVerticle.line(dispatch)).appendString("\n")
            .appendBuffer(DeadLetterWriterVerticle.line(unparseable)).appendString("\n").getBytes());

    List<DeadLetterEntry> entries = new DeadLetterStore(dir).query(DeadLetterQuery.all()).entries();

    assertEquals(2, entries.size());
    DeadLetterEntry first = entries.get(0);
    assertEquals("dispatch", first.stage());
    assertEquals("retries_exhausted", first.reason());
    assertEquals("gave up after 3 attempts: status 503", first.error());
    assertEquals("crm", first.target());
    assertEquals(3, first.attempts());
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), first.firstAttemptAt());
    assertEquals(Instant.ofEpochMilli(1_700_000_005_000L), first.lastAttemptAt());
    assertEquals(Instant.ofEpochMilli(1_700_000_006_000L), first.time());
    assertEquals("e-1", first.eventId());
    assertEquals("c-1", first.conversationId());
    assertEquals(new JsonObject(payload), new JsonObject(first.payload()), "payload kept as the same JSON");
    assertNull(first.payloadText());
    DeadLetterEntry second = entries.get(1);
    assertEquals("unparseable_json", second.reason());
    assertNull(second.payload());
    assertEquals("{\"cut\": \"in hal", second.payloadText(), "non-JSON input kept verbatim as text");
  }

  @Test
  void verifiesThatRedactedFieldsNeverReachTheFileAndTheLineStaysReadable() throws Exception {
    String payload = "{\"id\":\"e-2\",\"detail\":{\"eventBody\":{\"conversationId\":\"c-2\",\"ani\":\"tel:+15551230001\"}}}";
    DeadLetter letter = new DeadLetter(new Ticket("o", 2), DeadLetter.Stage.STATE, DeadLetter.Reason.INVALID_TRANSITION,
        "acd.end without acd.start", null, "e-2", "c-2", 1, 1_700_000_000_000L, 1_700_000_000_000L,
        1_700_000_000_000L, Buffer.buffer(payload), 1);
    io.switchboard.dlq.PayloadRedactor redactor = new io.switchboard.dlq.PayloadRedactor(
        List.of("/detail/eventBody/ani"));
    Buffer line = DeadLetterWriterVerticle.line(letter, redactor);
    org.junit.jupiter.api.Assertions.assertFalse(line.toString().contains("5551230001"), line.toString());
    Files.write(dir.resolve("deadletters-20231114-221320-000.jsonl"), line.appendString("\n").getBytes());
    List<DeadLetterEntry> entries = new DeadLetterStore(dir).query(DeadLetterQuery.fromParams(
        io.vertx.core.MultiMap.caseInsensitiveMultiMap())).entries();
    assertEquals(1, entries.size());
    assertEquals("c-2", entries.get(0).conversationId());
  }
}
