package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Builds minimal pipeline events for reorder tests: only conversation, type, time and ticket matter. */
final class TestEvents {

  private TestEvents() {
  }

  static PipelineEvent event(String conversationId, String eventType, long eventTime, long seq) {
    return event(conversationId, eventType, eventTime, seq, "test");
  }

  static PipelineEvent event(String conversationId, String eventType, long eventTime, long seq, String source) {
    return new PipelineEvent(new Ticket("t", seq), source, "id-" + seq, String.format("%032x", seq),
        conversationId, eventType, "v2.detail.events.conversation." + conversationId + "." + eventType,
        eventTime, 0, "voice", null, null, null, null, false, new JsonObject(), Buffer.buffer("{}"));
  }
}
