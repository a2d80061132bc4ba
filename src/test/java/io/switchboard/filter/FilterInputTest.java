package io.switchboard.filter;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static io.switchboard.filter.FilterEvents.queuedSnapshot;
import static io.switchboard.filter.FilterEvents.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The spliced document equals the envelope merged with the metadata and snapshot keys. */
class FilterInputTest {

  private static JsonObject expected(JsonObject envelope, JsonObject snapshot, String eventType, boolean late) {
    JsonObject doc = envelope.copy().put("switchboard", new JsonObject().put("eventType", eventType).put("late", late));
    return snapshot == null ? doc : doc.put("conversation", snapshot);
  }

  @Test
  void verifiesThatEverySampleEnvelopeSplicesIntoValidJsonWithAllItsFields() {
    for (String name : new String[] {"eb-voice-04-acd-start.json", "eb-voice-07-attributes.json",
        "eb-multi-11-message-customer-end.json", "edge-null-event-body.json", "edge-oversized-attributes.json"}) {
      Buffer envelope = sample(name);
      String doc = FilterInput.compose(envelope, queuedSnapshot().toBuffer(), "acd.start", true);
      assertEquals(expected(envelope.toJsonObject(), queuedSnapshot(), "acd.start", true), new JsonObject(doc), name);
    }
  }

  @Test
  void verifiesThatTheMetadataAndSnapshotComeFirstSoNoEnvelopeByteIsScanned() {
    String doc = FilterInput.compose(Buffer.buffer("{\"id\":\"e1\"}"), Buffer.buffer("{\"state\":\"queued\"}"), "acd.end", false);
    assertEquals("{\"switchboard\":{\"eventType\":\"acd.end\",\"late\":false},"
        + "\"conversation\":{\"state\":\"queued\"},\"id\":\"e1\"}", doc);
  }

  @Test
  void verifiesThatEmptyWhitespaceAndNonAsciiEnvelopesStayValid() {
    assertEquals(new JsonObject("{\"switchboard\":{\"eventType\":\"x\",\"late\":false}}"),
        new JsonObject(FilterInput.compose(Buffer.buffer("  \n{ \t}"), null, "x", false)));
    Buffer accented = Buffer.buffer("\r\n {\"detail\":{\"eventBody\":{\"attributes\":{\"name\":\"Zoë – 東京\"}}}}");
    assertEquals(expected(accented.toJsonObject(), null, "attributes", false),
        new JsonObject(FilterInput.compose(accented, null, "attributes", false)));
  }

  @Test
  void verifiesThatAQuoteInTheEventTypeIsEscaped() {
    String doc = FilterInput.compose(Buffer.buffer("{}"), null, "odd\"type", false);
    assertEquals("odd\"type", new JsonObject(doc).getJsonObject("switchboard").getString("eventType"));
  }

  @Test
  void verifiesThatNoSnapshotLeavesConversationAbsent() {
    assertFalse(new JsonObject(FilterInput.compose(sample("eb-voice-04-acd-start.json"), null, "acd.start", false))
        .containsKey("conversation"));
  }

  @Test
  void verifiesThatNonObjectsAreRejected() {
    assertEquals("envelope is not a JSON object", assertThrows(IllegalArgumentException.class,
        () -> FilterInput.compose(Buffer.buffer("[1]"), null, "x", false)).getMessage());
    assertEquals("envelope is not a JSON object", assertThrows(IllegalArgumentException.class,
        () -> FilterInput.compose(Buffer.buffer(" {"), null, "x", false)).getMessage());
    assertEquals("envelope is not a JSON object", assertThrows(IllegalArgumentException.class,
        () -> FilterInput.compose(Buffer.buffer(""), null, "x", false)).getMessage());
    assertEquals("snapshot is not a JSON object", assertThrows(IllegalArgumentException.class,
        () -> FilterInput.compose(Buffer.buffer("{}"), Buffer.buffer("null"), "x", false)).getMessage());
  }
}
