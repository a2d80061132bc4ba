package io.switchboard.ingest;

import io.switchboard.files.JsonLines;

/**
 * What admission did with one item a source received (one element of a POST body, one Kafka record, ...).
 *
 * @param index position of the item in what the source received
 * @param seq   the item's sequence number in its source's {@link SettlementTracker}, 0 when it was never admitted
 *              (not an object): a source maps it to its own position (an offset, a cursor)
 */
public record ItemResult(int index, Status status, String eventId, String conversationId, String reason, String error,
                         long seq) {

  /** Per-item outcome, as spelled in responses. */
  public enum Status {
    ACCEPTED, DUPLICATE, DEAD_LETTERED, IGNORED, RETRY;

    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Appends this item as a JSON object: the 202 summary is written by hand, as it is on every request. */
  public void appendJson(StringBuilder out) {
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
