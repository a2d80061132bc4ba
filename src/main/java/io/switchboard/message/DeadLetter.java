package io.switchboard.message;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * Something that could not be processed or delivered, with why, sent to the dead-letter writer.
 *
 * @param stage          where it failed
 * @param reason         stable reason code
 * @param error          human-readable detail (validation messages, HTTP status, ...)
 * @param target         target id for dispatch failures, else {@code null}
 * @param eventId        envelope id when known
 * @param conversationId conversation id when known
 * @param payload        the original bytes verbatim (for unparseable input: the raw body)
 * @param settleParts    the {@link Settlement#parts()} with which the DLQ writer settles the event with its source
 *                       once this letter is written: 1 for a stage before dispatch, the number of targets for a
 *                       dispatcher's letter (each target settles one part), 0 when nothing is owed (the event is
 *                       already settled, e.g. a redriven parked delivery, or no source waits on it). The writer is
 *                       the only one that settles a dead letter, and only after its write succeeded.
 */
public record DeadLetter(
    Ticket ticket,
    Stage stage,
    Reason reason,
    String error,
    String target,
    String eventId,
    String conversationId,
    int attempts,
    long firstAttemptAt,
    long lastAttemptAt,
    long createdAt,
    Buffer payload,
    int settleParts) {

  public DeadLetter {
    Objects.requireNonNull(ticket, "ticket");
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(payload, "payload");
    if (settleParts < 0) {
      throw new IllegalArgumentException("settleParts must be at least 0, got " + settleParts);
    }
  }

  /** Whether a source waits for this letter to be written before its event counts as settled. */
  public boolean settlesAnEvent() {
    return ticket.isTracked() && settleParts > 0;
  }

  /** Where in the pipeline a dead letter was produced. */
  public enum Stage { INGEST, VALIDATE, DEDUP, REORDER, STATE, DISPATCH }

  /**
   * The stable, documented reason codes. New codes may be added; existing ones never change meaning.
   */
  public enum Reason {
    /** The body was not JSON at all. */
    UNPARSEABLE_JSON,
    /** JSON, but not an envelope, an array of envelopes or a notification message. */
    UNRECOGNISED_SHAPE,
    /** Failed the JSON Schema of the envelope or of its event type. */
    SCHEMA_INVALID,
    /** No conversation id in the body nor in the topic name. */
    MISSING_CONVERSATION_ID,
    /** Arrived after a later event of its conversation was released, with late events set to dead-letter. */
    LATE_EVENT,
    /** The lifecycle state machine does not allow this event in the conversation's current state. */
    INVALID_TRANSITION,
    /** The conversation went through more lifecycle stages than the configured cap. */
    STAGE_CAP_EXCEEDED,
    /** A target answered with a status configured as permanent failure. */
    DELIVERY_REJECTED,
    /** A target kept failing until attempts or event age ran out. */
    RETRIES_EXHAUSTED,
    /** Shutdown deadline reached before the event could be delivered. */
    SHUTDOWN,
    /** An unexpected failure inside Switchboard; the error text says what. */
    INTERNAL_ERROR,
    /** The envelope {@code detail-type} names a different event type than its {@code detail.topicName}. */
    TYPE_MISMATCH,
    /** A well-formed message on a topic this pipeline does not process (not a conversation detail event). */
    UNSUPPORTED_TOPIC;

    /** The wire/JSON spelling: lower snake case. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
