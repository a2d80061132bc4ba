package io.switchboard.dispatch;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Processed events as the state stage hands them to dispatch, built without running the pipeline. */
final class DispatchEvents {

  private DispatchEvents() {
  }

  /** Event {@code eventId} of {@code conversationId}, admitted at {@code ingestedAt}, ticket seq {@code seq}. */
  static ProcessedEvent event(String conversationId, String eventId, long seq, long ingestedAt) {
    return event(conversationId, eventId, seq, ingestedAt, null, "VOICE");
  }

  static ProcessedEvent event(String conversationId, String eventId, long seq, long ingestedAt, String queueId,
                              String mediaType) {
    JsonObject body = new JsonObject().put("conversationId", conversationId).put("mediaType", mediaType);
    JsonObject envelope = new JsonObject().put("id", eventId).put("source", "aws.partner/genesys.com")
        .put("detail-type", "v2.detail.events.conversation." + conversationId + ".acd.start")
        .put("detail", new JsonObject().put("eventBody", body));
    PipelineEvent event = new PipelineEvent(new Ticket("source-1", seq), "test", eventId, "fp-" + eventId,
        conversationId, "acd.start", "v2.detail.events.conversation." + conversationId + ".acd.start", ingestedAt,
        ingestedAt, mediaType, null, null, queueId, null, false, body, envelope.toBuffer());
    return new ProcessedEvent(event, "queued", 1, Buffer.buffer("{\"state\":\"queued\"}"), ingestedAt);
  }
}
