package io.switchboard.ingest;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Genesys Cloud topic names: the concrete form in {@code detail.topicName}
 * ({@code v2.detail.events.conversation.<uuid>.acd.end}) and the template form in the EventBridge
 * {@code detail-type} ({@code v2.detail.events.conversation.{id}.acd.end}).
 *
 * <p>An event type is the part after the conversation id. Unknown suffixes are kept verbatim
 * ({@code sentiment.changed}), because Genesys adds topics and an unknown event is still an event.
 */
public final class Topics {

  /** Prefix of every conversation detail-event topic, concrete or template. */
  public static final String CONVERSATION_PREFIX = "v2.detail.events.conversation.";
  /** The placeholder Genesys writes for ids in topic templates. */
  public static final String ID_PLACEHOLDER = "{id}";
  /** Topic of the Notifications WebSocket heartbeat. */
  public static final String HEARTBEAT_TOPIC = "channel.metadata";
  /** Prefix of system messages that arrive on a WebSocket without subscribing. */
  public static final String SYSTEM_PREFIX = "v2.system.";

  public static final String CUSTOMER_START = "customer.start";
  public static final String CUSTOMER_END = "customer.end";
  public static final String ACD_START = "acd.start";
  public static final String ACD_END = "acd.end";
  public static final String USER_START = "user.start";
  public static final String USER_END = "user.end";
  public static final String ACW = "acw";
  public static final String WRAPUP = "wrapup";
  public static final String ATTRIBUTES = "attributes";
  public static final String CONTACT = "contact";
  public static final String OUTBOUND = "outbound";
  public static final String FLOW_START = "flow.start";
  public static final String FLOW_END = "flow.end";
  public static final String FLOW_OUTCOME = "flow.outcome";
  public static final String VOICEMAIL_START = "voicemail.start";
  public static final String VOICEMAIL_END = "voicemail.end";

  /** The conversation detail-event suffixes Genesys documents, in a stable order. */
  public static final Set<String> KNOWN_EVENT_TYPES = orderedSet(List.of(
      CUSTOMER_START, CUSTOMER_END, ACD_START, ACD_END, USER_START, USER_END, ACW, WRAPUP, ATTRIBUTES,
      CONTACT, OUTBOUND, FLOW_START, FLOW_END, FLOW_OUTCOME, VOICEMAIL_START, VOICEMAIL_END));

  /** The EventBridge {@code detail-type} of each known event type, e.g. {@code v2.detail.events.conversation.{id}.acw}. */
  public static final Set<String> KNOWN_DETAIL_TYPES = orderedSet(
      KNOWN_EVENT_TYPES.stream().map(Topics::detailType).toList());

  private static final String QUEUES_PREFIX = "v2.routing.queues.";
  private static final String USERS_PREFIX = "v2.users.";
  private static final String CONVERSATIONS_SEGMENT = "conversations";

  private Topics() {
  }

  /** How this pipeline treats a topic. */
  public enum Kind {
    /** {@code v2.detail.events.conversation.*}: processed. */
    CONVERSATION_DETAIL,
    /** {@code channel.metadata}: WebSocket keep-alive. */
    HEARTBEAT,
    /** {@code v2.system.*}: socket_closing, no_longer_subscribed, token_revoked. */
    SYSTEM,
    /** {@code v2.routing.queues.{id}.conversations[.media]}, {@code v2.users.{id}.conversations[.media]}: full snapshots. */
    CONVERSATION_SNAPSHOT,
    /** Anything else (agent state, audits, transcription, ...). */
    OTHER
  }

  /**
   * A parsed conversation detail topic.
   *
   * @param conversationId the id segment, or {@code null} when it is not a UUID (e.g. a literal {@code {id}})
   * @param eventType      the suffix after the id, verbatim
   */
  public record ConversationTopic(String conversationId, String eventType) {

    public boolean isKnownType() {
      return KNOWN_EVENT_TYPES.contains(eventType);
    }
  }

  public static Kind classify(String topicName) {
    if (topicName.startsWith(CONVERSATION_PREFIX)) {
      return Kind.CONVERSATION_DETAIL;
    }
    if (topicName.equals(HEARTBEAT_TOPIC)) {
      return Kind.HEARTBEAT;
    }
    if (topicName.startsWith(SYSTEM_PREFIX)) {
      return Kind.SYSTEM;
    }
    if (isSnapshot(topicName, QUEUES_PREFIX) || isSnapshot(topicName, USERS_PREFIX)) {
      return Kind.CONVERSATION_SNAPSHOT;
    }
    return Kind.OTHER;
  }

  /**
   * Parses {@code v2.detail.events.conversation.<id>.<suffix>}; {@code null} if {@code topicName} lacks the
   * prefix, an id segment or a suffix.
   */
  public static ConversationTopic parse(String topicName) {
    if (!topicName.startsWith(CONVERSATION_PREFIX)) {
      return null;
    }
    int idStart = CONVERSATION_PREFIX.length();
    int dot = topicName.indexOf('.', idStart);
    if (dot <= idStart || dot == topicName.length() - 1) {
      return null;
    }
    String id = topicName.substring(idStart, dot);
    return new ConversationTopic(isUuid(id) ? id : null, topicName.substring(dot + 1));
  }

  /** The {@code detail-type} template for an event type suffix. */
  public static String detailType(String eventType) {
    return CONVERSATION_PREFIX + ID_PLACEHOLDER + "." + eventType;
  }

  /** The event type suffix of a conversation {@code detail-type} template, or {@code null} if it is not one. */
  public static String eventTypeOfDetailType(String detailType) {
    int from = CONVERSATION_PREFIX.length() + ID_PLACEHOLDER.length() + 1;
    if (detailType.length() <= from
        || !detailType.startsWith(CONVERSATION_PREFIX)
        || !detailType.startsWith(ID_PLACEHOLDER, CONVERSATION_PREFIX.length())
        || detailType.charAt(from - 1) != '.') {
      return null;
    }
    return detailType.substring(from);
  }

  /** 8-4-4-4-12 hex digits, either case: the shape of every Genesys conversation id. */
  public static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean ok = (i == 8 || i == 13 || i == 18 || i == 23)
          ? c == '-'
          : (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** {@code <prefix><id>.conversations} optionally followed by {@code .<media>}. */
  private static boolean isSnapshot(String topicName, String prefix) {
    if (!topicName.startsWith(prefix)) {
      return false;
    }
    int dot = topicName.indexOf('.', prefix.length());
    if (dot <= prefix.length() || !topicName.startsWith(CONVERSATIONS_SEGMENT, dot + 1)) {
      return false;
    }
    int end = dot + 1 + CONVERSATIONS_SEGMENT.length();
    return end == topicName.length() || topicName.charAt(end) == '.';
  }

  private static Set<String> orderedSet(List<String> values) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(values));
  }
}
