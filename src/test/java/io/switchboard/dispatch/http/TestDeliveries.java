package io.switchboard.dispatch.http;

import io.switchboard.dispatch.Delivery;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.switchboard.message.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** Deliveries as a dispatcher would hand them to a channel, built without running the pipeline. */
final class TestDeliveries {

  static final String CONVERSATION_ID = "6f6c2b4e-3f1b-4c1e-9a54-0c7c1a3b2d10";
  static final String EVENT_TYPE = "customer.start";

  private TestDeliveries() {
  }

  static Delivery delivery(Buffer body, String idempotencyKey, int attempt) {
    return delivery(body, idempotencyKey, attempt, CONVERSATION_ID);
  }

  static Delivery delivery(Buffer body, String idempotencyKey, int attempt, String conversationId) {
    return delivery(body, idempotencyKey, attempt, conversationId, false, null);
  }

  /** Released late by reorder and delivered despite a lifecycle violation. */
  static Delivery lateWithViolation(Buffer body, String idempotencyKey, Violation violation) {
    return delivery(body, idempotencyKey, 1, CONVERSATION_ID, true, violation);
  }

  private static Delivery delivery(Buffer body, String idempotencyKey, int attempt, String conversationId,
      boolean late, Violation violation) {
    JsonObject eventBody = new JsonObject().put("conversationId", conversationId).put("eventTime", 1_700_000_000_000L);
    PipelineEvent event = new PipelineEvent(new Ticket("t", 1), "test", "evt-" + idempotencyKey, "fp-" + idempotencyKey,
        conversationId, EVENT_TYPE, "v2.detail.events.conversation." + conversationId + "." + EVENT_TYPE,
        1_700_000_000_000L, 1_700_000_000_100L, "voice", null, null, null, null, late, eventBody, body);
    ProcessedEvent processed = new ProcessedEvent(event, "active", 1, Buffer.buffer("{}"), 1_700_000_000_200L,
        violation);
    return new Delivery(processed, body, idempotencyKey, "all", attempt);
  }

  /** A delivery whose attempt number doubles as the status the {@code statusRig} answers with. */
  static Delivery askingFor(int status) {
    return delivery(Buffer.buffer("{\"want\":" + status + "}"), "key-" + status, status);
  }
}
