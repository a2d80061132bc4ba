package io.switchboard.dlq;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadLetterQueryTest {

  @Test
  void verifiesThatNoParamsMeansEverythingAHundredPerPage() {
    DeadLetterQuery query = DeadLetterQuery.fromParams(Map.of());
    assertEquals(DeadLetterQuery.all(), query);
    assertEquals(100, query.limit());
    assertNull(query.reason());
    assertNull(query.replayed());
    assertNull(query.cursor());
  }

  @Test
  void verifiesThatEveryParamIsParsed() {
    String cursor = new Cursor("deadletters-20240501-120000-000.jsonl", 3, 512).encode();
    DeadLetterQuery query = DeadLetterQuery.fromParams(Map.of(
        "reason", "RETRIES_EXHAUSTED", "stage", "Dispatch", "target", "crm-webhook", "conversationId", "c-1",
        "eventId", "e-1", "from", "2024-05-01T12:00:00Z", "to", "2024-05-01T16:00:00+02:00", "replayed", "false",
        "limit", "1000", "cursor", cursor));
    assertEquals(new DeadLetterQuery("retries_exhausted", "dispatch", "crm-webhook", "c-1", "e-1",
        Instant.parse("2024-05-01T12:00:00Z"), Instant.parse("2024-05-01T14:00:00Z"), Boolean.FALSE, 1000, cursor),
        query);
  }

  @Test
  void verifiesThatAVertxMultiMapCanBePassedAsItIs() {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().add("replayed", "true").add("limit", "5");
    DeadLetterQuery query = DeadLetterQuery.fromParams(params);
    assertEquals(Boolean.TRUE, query.replayed());
    assertEquals(5, query.limit());
  }

  @Test
  void verifiesThatAParamGivenTwiceIsRejected() {
    MultiMap params = MultiMap.caseInsensitiveMultiMap().add("reason", "shutdown").add("reason", "late_event");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeadLetterQuery.fromParams(params));
    assertEquals("reason must be given at most once", e.getMessage());
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({
      "limit, 0",
      "limit, 1001",
      "limit, ten",
      "limit, ''",
      "from, yesterday",
      "from, 2024-05-01",
      "to, 1714564800000",
      "replayed, yes",
      "replayed, TRUE",
      "stage, nowhere",
      "reason, retries-exhausted",
      "reason, ''",
      "target, ''",
      "conversationId, ''",
      "eventId, ''",
      "cursor, not-a-cursor",
      "cursor, ''",
      "conversation, c-1",
  })
  void verifiesThatABadParamIsRejectedNamingIt(String name, String value) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeadLetterQuery.fromParams(Map.of(name, value)));
    assertTrue(e.getMessage().startsWith(name) || e.getMessage().contains("'" + name + "'"),
        "message names " + name + ": " + e.getMessage());
  }

  @Test
  void verifiesThatACursorNamingAFileOutsideTheQueueIsRejected() {
    String sneaky = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("1|../../etc/passwd|0|0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeadLetterQuery.fromParams(Map.of("cursor", sneaky)));
    assertTrue(e.getMessage().startsWith("cursor"), e.getMessage());
  }

  @Test
  void verifiesThatAnEmptyTimeRangeIsRejectedNamingBothEnds() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DeadLetterQuery.fromParams(Map.of("from", "2024-05-01T12:00:00Z", "to", "2024-05-01T12:00:00Z")));
    assertTrue(e.getMessage().startsWith("from must be before to"), e.getMessage());
  }

  @Test
  void verifiesThatACursorSurvivesItsRoundTrip() {
    Cursor cursor = new Cursor("deadletters-20240501-120000-000.jsonl", 7, 4096);
    assertEquals(cursor, Cursor.decode(cursor.encode()));
    assertTrue(cursor.encode().matches("[A-Za-z0-9_-]+"), "URL-safe without escaping");
  }
}
