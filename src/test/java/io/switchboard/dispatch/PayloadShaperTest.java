package io.switchboard.dispatch;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.switchboard.message.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PayloadShaperTest {

  private static final Buffer ENVELOPE = Buffer.buffer("{\"id\":\"e1\",\"region\":\"eu-west-1\",\"detail\":{}}");

  private static ProcessedEvent processed(Violation violation) {
    PipelineEvent event = new PipelineEvent(new Ticket("t", 1), "test", "e1", "fp-1", "c-1", "acd.end",
        "v2.detail.events.conversation.c-1.acd.end", 5, 6, "VOICE", "p", "s", null, null, false,
        new JsonObject(), ENVELOPE);
    return new ProcessedEvent(event, "ivr", 2, Buffer.buffer("{\"state\":\"ivr\"}"), 7, violation);
  }

  @Test
  void verifiesThatTheEnrichedWrapperNamesAFlaggedViolation() {
    Violation violation = new Violation(DeadLetter.Reason.INVALID_TRANSITION,
        "acd.end for session s without a prior acd.start");
    JsonObject wrapper = new PayloadShaper(true, null).shape(processed(violation), "all").toJsonObject();
    assertEquals(new JsonObject().put("reason", "invalid_transition")
        .put("error", "acd.end for session s without a prior acd.start"), wrapper.getJsonObject("violation"));
    assertEquals(new JsonObject(ENVELOPE), wrapper.getJsonObject("event"));
    assertEquals("ivr", wrapper.getJsonObject("conversation").getString("state"));
  }

  @Test
  void verifiesThatTheEnrichedWrapperHasANullViolationOtherwise() {
    JsonObject wrapper = new PayloadShaper(true, null).shape(processed(null), "all").toJsonObject();
    assertTrue(wrapper.containsKey("violation"));
    assertNull(wrapper.getValue("violation"));
  }

  @Test
  void verifiesThatTheOriginalShapeIsTheEnvelopeVerbatimEvenWithAViolation() {
    ProcessedEvent flagged = processed(new Violation(DeadLetter.Reason.STAGE_CAP_EXCEEDED, "over the cap"));
    assertSame(ENVELOPE, new PayloadShaper(false, null).shape(flagged, "all"));
  }
}
