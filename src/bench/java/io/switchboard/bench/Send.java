package io.switchboard.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One POST the load generator makes: an encoded envelope, which expected event it carries, when, in event time,
 * Genesys would have sent it (the order a conversation's sends are made in), and how long in real time the sender
 * holds it back once its turn comes.
 *
 * @param envelopeId  the envelope {@code id} in {@code body}
 * @param expectedId  the envelope id the event should be delivered under: its own for an original, the
 *                    original's for a copy (the server keeps the first copy and drops the rest)
 * @param virtualTime event-time instant of sending; orders sends, never put on the wire
 * @param body        the compact envelope, without {@code x-sent-at}; shared, never modified
 * @param holdMillis  real ms the lane waits, once this send's turn comes, before posting it (its later sends go
 *                    ahead meanwhile); 0 to post it in turn. Real time, because virtual time only orders sends:
 *                    a closed loop posts minutes of event time per second.
 */
public record Send(String conversationId, String envelopeId, String expectedId, Copy copy, long virtualTime,
                   Buffer body, long holdMillis) {

  /** Top-level envelope field carrying the epoch-ms send time; Switchboard stores envelopes verbatim. */
  public static final String SENT_AT_FIELD = "x-sent-at";

  private static final Buffer SENT_AT_PREFIX = Buffer.buffer("{\"" + SENT_AT_FIELD + "\":");

  /** How this send relates to the event it carries. */
  public enum Copy {
    /** The first send of an event. */
    ORIGINAL,
    /** A redelivery: the same envelope, same id. */
    DUPLICATE,
    /** A re-publication: the same content under a new envelope id. */
    REPUBLISH
  }

  public Send {
    Objects.requireNonNull(conversationId, "conversationId");
    Objects.requireNonNull(envelopeId, "envelopeId");
    Objects.requireNonNull(expectedId, "expectedId");
    Objects.requireNonNull(copy, "copy");
    Objects.requireNonNull(body, "body");
    if (body.length() < 2 || body.getByte(0) != '{' || body.getByte(1) == '}') {
      throw new IllegalArgumentException("body must be a non-empty JSON object");
    }
    if (holdMillis < 0) {
      throw new IllegalArgumentException("holdMillis must be >= 0, got " + holdMillis);
    }
  }

  static Send original(String conversationId, String envelopeId, long virtualTime, Buffer body) {
    return new Send(conversationId, envelopeId, envelopeId, Copy.ORIGINAL, virtualTime, body, 0);
  }

  /**
   * The body with {@code "x-sent-at": sentAtMillis} spliced in as the first field, so stamping costs a copy of
   * the bytes rather than a JSON encode per request.
   */
  public Buffer stamped(long sentAtMillis) {
    String stamp = Long.toString(sentAtMillis);
    return Buffer.buffer(SENT_AT_PREFIX.length() + stamp.length() + body.length())
        .appendBuffer(SENT_AT_PREFIX).appendString(stamp).appendByte((byte) ',')
        .appendBuffer(body, 1, body.length() - 1);
  }

  Send at(long time) {
    return new Send(conversationId, envelopeId, expectedId, copy, time, body, holdMillis);
  }

  Send held(long millis) {
    return new Send(conversationId, envelopeId, expectedId, copy, virtualTime, body, millis);
  }

  /** A redelivery; held as long as this send, so that it still follows it. */
  Send redelivered(long time) {
    return new Send(conversationId, envelopeId, expectedId, Copy.DUPLICATE, time, body, holdMillis);
  }

  /** A re-publication; held as long as this send, so that it still follows it. */
  Send republished(String newEnvelopeId, long time) {
    JsonObject envelope = body.toJsonObject().put("id", newEnvelopeId);
    return new Send(conversationId, newEnvelopeId, expectedId, Copy.REPUBLISH, time, envelope.toBuffer(),
        holdMillis);
  }
}
