package io.switchboard.verticles;

import io.switchboard.dlq.DeadLetterEntry;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A dead letter as the replay endpoint needs it, in the JSON form the DLQ writer sends over the bus: which entry it
 * is and where it sits (to mark it replayed), why it was dead-lettered, and its payload as text. A JSON string value
 * carries the text unchanged, so numbers, key order and escapes still survive a replay untouched.
 *
 * @param payload the original JSON value as text, or {@code null} when the input was not JSON
 * @param file    the DLQ file holding it, as the store located it
 * @param line    its line in {@code file}
 */
record ReplayableLetter(String id, String reason, String payload, String file, long line) {

  ReplayableLetter {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
  }

  static ReplayableLetter of(DeadLetterEntry entry) {
    return new ReplayableLetter(entry.id(), entry.reason(), entry.payload(), entry.file(), entry.line());
  }

  static ReplayableLetter fromJson(JsonObject json) {
    return new ReplayableLetter(json.getString("id"), json.getString("reason"), json.getString("payload"),
        json.getString("file"), json.getLong("line"));
  }

  JsonObject toJson() {
    return new JsonObject().put("id", id).put("reason", reason).put("payload", payload).put("file", file)
        .put("line", line);
  }
}
