package io.switchboard.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Re-derives an event's parsed eventBody from its verbatim payload after a hop over the wire, where
 * only the bytes travel. Accepts both shapes ingest admits: an EventBridge envelope ({@code detail.eventBody})
 * and a notification message ({@code eventBody}).
 */
public final class EventBodies {

  private EventBodies() {
  }

  public static JsonObject fromPayload(Buffer payload) {
    JsonObject json = payload.toJsonObject();
    JsonObject detail = json.getJsonObject("detail");
    JsonObject body = detail != null ? detail.getJsonObject("eventBody") : json.getJsonObject("eventBody");
    return body != null ? body : new JsonObject();
  }
}
