package io.switchboard.dlq;

import io.vertx.core.buffer.Buffer;

import java.time.Instant;
import java.util.Objects;

/**
 * One dead letter as read back from the DLQ, where it sits, and whether it has been replayed.
 *
 * <p>Exactly one of {@code payload} and {@code payloadText} is set. {@code payload} is the original JSON value
 * exactly as the writer embedded it (its raw CR/LF bytes became spaces, nothing else changed); it is kept as
 * text, never decoded and re-encoded, so numbers, key order and escapes survive a replay untouched.
 * {@code payloadText} is the raw body of input that was not JSON at all (reason {@code unparseable_json}).
 *
 * @param id             the writer's id of this dead letter
 * @param time           when the dead letter was created
 * @param stage          lower-case pipeline stage ({@code ingest}, ..., {@code dispatch})
 * @param reason         stable reason code ({@code retries_exhausted}, ...)
 * @param error          human-readable detail, may be {@code null}
 * @param target         target id for dispatch failures, else {@code null}
 * @param file           name of the DLQ file holding it (no directory)
 * @param line           1-based line number within {@code file}
 * @param lastReplay     the latest recorded replay, or {@code null} if never replayed
 */
public record DeadLetterEntry(
    String id,
    Instant time,
    String stage,
    String reason,
    String error,
    String target,
    int attempts,
    Instant firstAttemptAt,
    Instant lastAttemptAt,
    String eventId,
    String conversationId,
    String payload,
    String payloadText,
    String file,
    long line,
    ReplayStatus lastReplay) {

  public DeadLetterEntry {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(file, "file");
    if ((payload == null) == (payloadText == null)) {
      throw new IllegalArgumentException("exactly one of payload and payloadText must be set");
    }
  }

  /** Whether the latest replay succeeded, which takes this entry off the queue's depth. */
  public boolean replayed() {
    return lastReplay != null && lastReplay.outcome().succeeded();
  }

  /**
   * This entry as a JSON object for the API: the writer's fields (with {@code payload} embedded verbatim, hence a
   * {@link Buffer} rather than a {@code JsonObject}), then {@code file}, {@code line}, {@code replayed} and
   * {@code lastReplay} ({@code {"outcome","target","at"}} or {@code null}).
   */
  public Buffer toJson() {
    Buffer out = Buffer.buffer(320 + (payload != null ? payload.length() : payloadText.length()));
    appendTo(out);
    return out;
  }

  void appendTo(Buffer out) {
    out.appendString("{\"id\":").appendString(JsonText.quote(id))
        .appendString(",\"time\":").appendString(JsonText.quote(time))
        .appendString(",\"stage\":").appendString(JsonText.quote(stage))
        .appendString(",\"reason\":").appendString(JsonText.quote(reason))
        .appendString(",\"error\":").appendString(JsonText.quote(error))
        .appendString(",\"target\":").appendString(JsonText.quote(target))
        .appendString(",\"attempts\":").appendString(Integer.toString(attempts))
        .appendString(",\"firstAttemptAt\":").appendString(JsonText.quote(firstAttemptAt))
        .appendString(",\"lastAttemptAt\":").appendString(JsonText.quote(lastAttemptAt))
        .appendString(",\"eventId\":").appendString(JsonText.quote(eventId))
        .appendString(",\"conversationId\":").appendString(JsonText.quote(conversationId));
    if (payload != null) {
      out.appendString(",\"payload\":").appendString(payload);
    } else {
      out.appendString(",\"payloadText\":").appendString(JsonText.quote(payloadText));
    }
    out.appendString(",\"file\":").appendString(JsonText.quote(file))
        .appendString(",\"line\":").appendString(Long.toString(line))
        .appendString(",\"replayed\":").appendString(Boolean.toString(replayed()))
        .appendString(",\"lastReplay\":");
    if (lastReplay == null) {
      out.appendString("null");
    } else {
      out.appendString("{\"outcome\":").appendString(JsonText.quote(lastReplay.outcome().code()))
          .appendString(",\"target\":").appendString(JsonText.quote(lastReplay.target()))
          .appendString(",\"at\":").appendString(JsonText.quote(lastReplay.at()))
          .appendString("}");
    }
    out.appendString("}");
  }

  /** This entry with {@code status} as its latest replay. */
  DeadLetterEntry withLastReplay(ReplayStatus status) {
    return new DeadLetterEntry(id, time, stage, reason, error, target, attempts, firstAttemptAt, lastAttemptAt,
        eventId, conversationId, payload, payloadText, file, line, status);
  }
}
