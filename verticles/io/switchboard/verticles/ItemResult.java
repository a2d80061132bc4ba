package io.switchboard.verticles;

import io.switchboard.files.JsonLines;

/** What happened to one item of a POST /events body; rendered in the 202 summary. */
record ItemResult(int index, Status status, String eventId, String conversationId, String reason, String error) {

  /** Per-item outcome, as spelled in responses. */
  enum Status {
    ACCEPTED, DUPLICATE, DEAD_LETTERED, IGNORED, RETRY;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Appends this item as a JSON object: the 202 summary is written by hand, as it is on every request. */
  void appendJson(StringBuilder out) {
    out.append("{\"index\":").append(index).append(",\"status\":\"").append(status.code()).append('"');
    field(out, "eventId", eventId);
    field(out, "conversationId", conversationId);
    field(out, "reason", reason);
    field(out, "error", error);
    out.append('}');
  }

  private static void field(StringBuilder out, String name, String value) {
    if (value != null) {
      out.append(",\"").append(name).append("\":");
      JsonLines.appendQuoted(out, value);
    }
  }
}
