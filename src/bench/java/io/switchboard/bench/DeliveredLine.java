package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

/**
 * The fields of one file-target line the report needs; the conversation snapshot is dropped.
 *
 * @param sentAt the envelope's {@code x-sent-at}, or {@link #NO_SENT_AT}
 */
record DeliveredLine(String eventId, String conversationId, long eventTime, boolean late, long ingestedAt,
                     long processedAt, long sentAt) {

  static final long NO_SENT_AT = Long.MIN_VALUE;

  static DeliveredLine parse(String line) {
    JsonObject json = new JsonObject(line);
    JsonObject event = json.getJsonObject("event");
    Long sentAt = event == null ? null : event.getLong(Send.SENT_AT_FIELD);
    return new DeliveredLine(json.getString("eventId"), json.getString("conversationId"),
        json.getLong("eventTime", 0L), json.getBoolean("late", false), json.getLong("ingestedAt", 0L),
        json.getLong("processedAt", 0L), sentAt == null ? NO_SENT_AT : sentAt);
  }
}
