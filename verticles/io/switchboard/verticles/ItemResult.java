package io.switchboard.verticles;

import io.vertx.core.json.JsonObject;

/** What happened to one item of a POST /events body; rendered in the 202 summary. */
record ItemResult(int index, Status status, String eventId, String conversationId, String reason, String error) {

  /** Per-item outcome, as spelled in responses. */
  enum Status {
    ACCEPTED, DUPLICATE, DEAD_LETTERED, IGNORED, RETRY;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  JsonObject toJson() {
    JsonObject json = new JsonObject().put("index", index).put("status", status.code());
    if (eventId != null) {
      json.put("eventId", eventId);
    }
    if (conversationId != null) {
      json.put("conversationId", conversationId);
    }
    if (reason != null) {
      json.put("reason", reason);
    }
    if (error != null) {
      json.put("error", error);
    }
    return json;
  }
}
