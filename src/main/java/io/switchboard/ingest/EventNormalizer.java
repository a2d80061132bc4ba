package io.switchboard.ingest;

import io.switchboard.ingest.NormalizeResult.Ignored;
import io.switchboard.ingest.NormalizeResult.Normalized;
import io.switchboard.ingest.NormalizeResult.Rejected;
import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Turns one parsed Genesys message, either an EventBridge envelope or a Notifications WebSocket message,
 * into a {@link PipelineEvent}, a rejection with a dead-letter reason, or an acknowledged no-op.
 *
 * <p>Order of work: recognise the shape; drop heartbeats, system messages and snapshot topics; validate
 * the message schema and the event type's body schema (all failures reported together); then resolve the
 * conversation id (body first, topic second), check that the envelope's {@code detail-type} agrees with the
 * concrete topic, and pick out the routing fields. The payload is never re-encoded and the body is never
 * copied or mutated. Never throws for bad input: anything unexpected becomes {@link Reason#INTERNAL_ERROR}.
 */
public final class EventNormalizer {

  private static final Logger LOG = LoggerFactory.getLogger(EventNormalizer.class);
  /** Genesys ids are 36-character UUIDs, event types and media types short names: plenty of room, and a bound. */
  static final int MAX_KEPT_LENGTH = 256;
  private static final String[] KEPT_FIELDS = {"id", "conversationId", "event type (topicName suffix)", "mediaType",
      "participantId", "sessionId", "queueId", "userId"};

  private final SchemaRegistry schemas;
  private final boolean strictTypeAgreement;

  /**
   * @param schemas             must hold {@value SchemaRegistry#ENVELOPE}, {@value SchemaRegistry#NOTIFICATION}
   *                            and a schema for every known event type, so no event goes unchecked by mistake;
   *                            extra schemas named by other suffixes validate those event types too
   * @param strictTypeAgreement if {@code true}, an envelope whose {@code detail-type} disagrees with its
   *                            {@code detail.topicName} is rejected as {@link Reason#TYPE_MISMATCH}; if
   *                            {@code false}, the concrete topic wins
   */
  public EventNormalizer(SchemaRegistry schemas, boolean strictTypeAgreement) {
    this.schemas = Objects.requireNonNull(schemas, "schemas");
    this.strictTypeAgreement = strictTypeAgreement;
    String missing = SchemaRegistry.DEFAULT_NAMES.stream()
        .filter(name -> !schemas.contains(name))
        .collect(Collectors.joining(", "));
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("schema registry lacks required schemas: " + missing);
    }
  }

  /**
   * @param json          the message, parsed once by the caller
   * @param verbatimBytes the exact bytes {@code json} was parsed from, carried for delivery
   * @param source        the ingest source that received it (for {@link PipelineEvent#source()})
   * @param ticket        the admitting source's ticket
   * @param ingestedAt    epoch ms when the source accepted it
   */
  public NormalizeResult normalize(JsonObject json, Buffer verbatimBytes, String source, Ticket ticket,
      long ingestedAt) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(verbatimBytes, "verbatimBytes");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(ticket, "ticket");
    try {
      return evaluate(json, verbatimBytes, source, ticket, ingestedAt);
    } catch (RuntimeException e) {
      // A bug here must cost one dead letter, not the ingest loop.
      String eventId = string(json, "id");
      LOG.warn("normalising event [{}] failed unexpectedly", eventId, e);
      return new Rejected(Reason.INTERNAL_ERROR, "normaliser failed: " + e, eventId, null);
    }
  }

  private NormalizeResult evaluate(JsonObject json, Buffer verbatimBytes, String source, Ticket ticket,
      long ingestedAt) {
    boolean envelope = json.containsKey("detail-type") && json.containsKey("detail");
    if (!envelope && !(json.containsKey("topicName") && json.containsKey("eventBody"))) {
      return new Rejected(Reason.UNRECOGNISED_SHAPE, "neither an EventBridge envelope (detail-type, detail) "
          + "nor a notification message (topicName, eventBody)", null, null);
    }
    String eventId = envelope ? string(json, "id") : null;
    JsonObject detail = envelope ? object(json, "detail") : json;
    String topicName = detail == null ? null : string(detail, "topicName");
    Topics.Kind kind = topicName == null ? Topics.Kind.OTHER : Topics.classify(topicName);
    switch (kind) {
      case HEARTBEAT:
        return new Ignored("WebSocket heartbeat (" + topicName + ")");
      case SYSTEM:
        return new Ignored("system message (" + topicName + ")");
      case CONVERSATION_SNAPSHOT:
        return new Ignored("conversation snapshot topic (" + topicName + "), not processed by this pipeline");
      default:
        break;
    }

    String bodyLocation = envelope ? "/detail/eventBody" : "/eventBody";
    JsonObject body = detail == null ? null : object(detail, "eventBody");
    Topics.ConversationTopic topic = topicName == null ? null : Topics.parse(topicName);
    String bodyConversationId = body == null ? null : string(body, "conversationId");
    String conversationId = bodyConversationId != null && !bodyConversationId.isEmpty()
        ? bodyConversationId : topic == null ? null : topic.conversationId();

    String error = validate(envelope, json, body, topic, bodyLocation);
    if (error != null) {
      return new Rejected(Reason.SCHEMA_INVALID, error, eventId, conversationId);
    }
    // From here on the message schema guarantees detail, topicName and eventBody.
    if (kind != Topics.Kind.CONVERSATION_DETAIL || topic == null) {
      return new Rejected(Reason.UNSUPPORTED_TOPIC,
          "topic " + topicName + " is not a conversation detail event topic", eventId, conversationId);
    }
    if (conversationId == null) {
      return new Rejected(Reason.MISSING_CONVERSATION_ID,
          "no eventBody.conversationId and no conversation id in topic " + topicName, eventId, null);
    }
    String eventType = topic.eventType();
    if (envelope) {
      String detailType = string(json, "detail-type");
      if (!eventType.equals(Topics.eventTypeOfDetailType(detailType))) {
        if (strictTypeAgreement) {
          return new Rejected(Reason.TYPE_MISMATCH, "detail-type " + detailType + " does not match topicName "
              + topicName + " (event type " + eventType + ")", eventId, conversationId);
        }
        LOG.debug("event [{}] detail-type [{}] disagrees with topic [{}]; using the topic", eventId, detailType,
            topicName);
      }
    }
    Long eventTime = epochMillis(body.getValue("eventTime"));
    if (eventTime == null) {
      // Reachable for event types without a schema, or an integer beyond long: known schemas require it.
      return new Rejected(Reason.SCHEMA_INVALID, bodyLocation + "/eventTime: required, an integer (epoch ms)",
          eventId, conversationId);
    }

    boolean attributes = Topics.ATTRIBUTES.equals(eventType);
    // attributes events carry no top-level mediaType or sessionId, only communications[{id, mediaType}].
    String mediaType = upperCase(attributes ? firstCommunicationMediaType(body) : string(body, "mediaType"));
    String sessionId = attributes ? null : string(body, "sessionId");
    String userId = string(body, "userId");
    if (userId == null && Topics.ACD_END.equals(eventType)) {
      userId = string(body, "answeredUserId");
    }
    String participantId = string(body, "participantId");
    String queueId = string(body, "queueId");
    String tooLong = tooLong(eventId, conversationId, eventType, mediaType, participantId, sessionId, queueId, userId);
    if (tooLong != null) {
      return new Rejected(Reason.SCHEMA_INVALID, tooLong, eventId, conversationId);
    }
    String fingerprint;
    try {
      fingerprint = Fingerprint.of(topicName, body);
    } catch (UnrepresentableNumberException e) {
      // Bad input, one dead letter, no stack trace in the log.
      return new Rejected(Reason.SCHEMA_INVALID, "eventBody: " + e.getMessage(), eventId, conversationId);
    }
    return new Normalized(new PipelineEvent(ticket, source, eventId, fingerprint,
        conversationId, eventType, topicName, eventTime, ingestedAt, mediaType, participantId,
        sessionId, queueId, userId, false, body, verbatimBytes));
  }

  /**
   * The first field, in {@link #KEPT_FIELDS} order, longer than {@link #MAX_KEPT_LENGTH}, described; else null. The
   * state and reorder stages keep these per conversation, and their memory bounds count ids of UUID length.
   */
  private static String tooLong(String... kept) {
    for (int i = 0; i < kept.length; i++) {
      if (kept[i] != null && kept[i].length() > MAX_KEPT_LENGTH) {
        return KEPT_FIELDS[i] + ": " + kept[i].length() + " characters, more than the " + MAX_KEPT_LENGTH + " allowed";
      }
    }
    return null;
  }

  /** Message schema, then body schema, joined, so one rejection lists everything wrong. */
  private String validate(boolean envelope, JsonObject json, JsonObject body, Topics.ConversationTopic topic,
      String bodyLocation) {
    String messageError = schemas.validate(envelope ? SchemaRegistry.ENVELOPE : SchemaRegistry.NOTIFICATION, json);
    String bodyError = null;
    if (body != null && topic != null && hasBodySchema(topic.eventType())) {
      bodyError = schemas.validate(topic.eventType(), body, bodyLocation);
    }
    if (messageError == null) {
      return bodyError;
    }
    return bodyError == null ? messageError : messageError + "; " + bodyError;
  }

  private boolean hasBodySchema(String eventType) {
    return schemas.contains(eventType)
        && !SchemaRegistry.ENVELOPE.equals(eventType) && !SchemaRegistry.NOTIFICATION.equals(eventType);
  }

  private static String firstCommunicationMediaType(JsonObject body) {
    Object communications = body.getValue("communications");
    if (communications instanceof JsonArray && !((JsonArray) communications).isEmpty()) {
      Object first = ((JsonArray) communications).getValue(0);
      if (first instanceof JsonObject) {
        return string((JsonObject) first, "mediaType");
      }
    }
    return null;
  }

  /** Integral numbers that fit a long; {@code 1.0} counts (JSON Schema calls it an integer too). */
  private static Long epochMillis(Object value) {
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    if (value instanceof Double) {
      double d = (Double) value;
      return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
    }
    return null;
  }

  /** Genesys detail events spell enums in upper case; other sources do not. Unknown values are kept. */
  private static String upperCase(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }

  private static String string(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof String ? (String) value : null;
  }

  private static JsonObject object(JsonObject json, String key) {
    Object value = json.getValue(key);
    return value instanceof JsonObject ? (JsonObject) value : null;
  }
}
