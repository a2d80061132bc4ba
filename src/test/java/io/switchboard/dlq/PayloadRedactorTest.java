package io.switchboard.dlq;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadRedactorTest {

  private static final String ENVELOPE = "{\"id\":\"e1\",\"detail\":{\"eventBody\":{\"conversationId\":\"c1\","
      + "\"ani\":\"tel:+15551230001\",\"dnis\":\"tel:+18005550100\",\"mediaType\":\"VOICE\"}}}";

  @Test
  void verifiesThatConfiguredFieldsAreMaskedAndEverythingElseKept() {
    PayloadRedactor redactor = new PayloadRedactor(List.of("/detail/eventBody/ani", "/detail/eventBody/dnis"));
    JsonObject out = redactor.redact(Buffer.buffer(ENVELOPE)).toJsonObject();
    JsonObject body = out.getJsonObject("detail").getJsonObject("eventBody");
    assertEquals(PayloadRedactor.MASK, body.getString("ani"));
    assertEquals(PayloadRedactor.MASK, body.getString("dnis"));
    assertEquals("c1", body.getString("conversationId"));
    assertEquals("VOICE", body.getString("mediaType"));
    assertEquals("e1", out.getString("id"));
    assertFalse(out.encode().contains("5551230001"));
  }

  @Test
  void verifiesThatAPointerMissingFromThePayloadChangesNothing() {
    PayloadRedactor redactor = new PayloadRedactor(List.of("/eventBody/ani"));
    Buffer payload = Buffer.buffer(ENVELOPE);
    assertSame(payload, redactor.redact(payload), "a notification-shaped pointer on an envelope: untouched bytes");
    assertFalse(redactor.redact(payload).toJsonObject().getJsonObject("detail").containsKey("ani"),
        "nothing is created");
  }

  @Test
  void verifiesThatInputThatIsNotJsonKeepsOnlyItsSize() {
    PayloadRedactor redactor = new PayloadRedactor(List.of("/detail/eventBody/ani"));
    Buffer raw = Buffer.buffer("{\"ani\": \"tel:+15551230001\", oops");
    String kept = redactor.unparseable(raw);
    assertFalse(kept.contains("5551230001"), kept);
    assertTrue(kept.contains(raw.length() + " bytes"), kept);
  }

  @Test
  void verifiesThatNoPointersMeansNoChangeAndBadPointersAreRefused() {
    Buffer payload = Buffer.buffer(ENVELOPE);
    assertSame(payload, PayloadRedactor.NONE.redact(payload));
    assertFalse(PayloadRedactor.NONE.enabled());
    assertThrows(IllegalArgumentException.class, () -> new PayloadRedactor(List.of("")));
  }
}
