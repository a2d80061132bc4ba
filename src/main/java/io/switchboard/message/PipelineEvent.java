package io.switchboard.message;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One Genesys event after normalisation: the fields the pipeline routes and reasons on, plus the
 * original payload bytes verbatim for delivery. Flows ingest → dedup → reorder → state.
 *
 * <p>{@code eventBody} is the parsed {@code eventBody} object of the notification; it is shared, never
 * mutated, between stages on one node (local delivery passes this same instance). On the wire it is not
 * sent: the codec re-derives it from {@code payload}.
 *
 * @param ticket        who admitted the event and must be told when it is settled
 * @param eventId       envelope {@code id}; {@code null} for WebSocket messages, which carry none
 * @param fingerprint   hex digest of topicName + canonical eventBody; the idempotency key's root
 * @param eventType     the topic's event suffix ({@code acd.end}, ...) or the raw suffix of an unknown topic
 * @param eventTime     {@code eventBody.eventTime}, epoch ms
 * @param ingestedAt    epoch ms when ingest accepted it, for end-to-end latency
 * @param late          set by reorder when an event of this conversation with a later time was already released
 * @param replay        live, or admitted again from the ingest journal after a restart: then it may already have
 *                      passed dedup and been applied to its conversation before the crash (see DedupWindow,
 *                      StateVerticle)
 */
public record PipelineEvent(
    Ticket ticket,
    String source,
    String eventId,
    String fingerprint,
    String conversationId,
    String eventType,
    String topicName,
    long eventTime,
    long ingestedAt,
    String mediaType,
    String participantId,
    String sessionId,
    String queueId,
    String userId,
    boolean late,
    JsonObject eventBody,
    Buffer payload,
    Replay replay) {

  /** A live event, not a replay from the journal. */
  public PipelineEvent(Ticket ticket, String source, String eventId, String fingerprint, String conversationId,
                       String eventType, String topicName, long eventTime, long ingestedAt, String mediaType,
                       String participantId, String sessionId, String queueId, String userId, boolean late,
                       JsonObject eventBody, Buffer payload) {
    this(ticket, source, eventId, fingerprint, conversationId, eventType, topicName, eventTime, ingestedAt,
        mediaType, participantId, sessionId, queueId, userId, late, eventBody, payload, Replay.NONE);
  }

  public PipelineEvent {
    Objects.requireNonNull(ticket, "ticket");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(eventType, "eventType");
    Objects.requireNonNull(eventBody, "eventBody");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(replay, "replay");
  }

  /** Replayed from the journal, for whatever purpose. */
  public boolean replayed() {
    return replay != Replay.NONE;
  }

  /** The same event marked late by the reorder stage. */
  public PipelineEvent asLate() {
    return late ? this : new PipelineEvent(ticket, source, eventId, fingerprint, conversationId, eventType,
        topicName, eventTime, ingestedAt, mediaType, participantId, sessionId, queueId, userId, true,
        eventBody, payload, replay);
  }

  /** The same event replayed from the ingest journal, for {@code purpose}. */
  public PipelineEvent asReplay(Replay purpose) {
    return replay == purpose ? this : new PipelineEvent(ticket, source, eventId, fingerprint, conversationId,
        eventType, topicName, eventTime, ingestedAt, mediaType, participantId, sessionId, queueId, userId, late,
        eventBody, payload, purpose);
  }

  /** Stable key for logs and idempotency: the envelope id when there is one, else the fingerprint. */
  public String key() {
    return eventId != null ? eventId : fingerprint;
  }
}
