package io.switchboard.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a conversation snapshot topic message ({@code v2.routing.queues.{id}.conversations},
 * {@code v2.users.{id}.conversations}: the whole conversation, re-sent on every change) into the detail-event
 * notifications Switchboard's pipeline understands. Detail topics over the WebSocket need a concrete conversation
 * id, so a WebSocket integration watches queues and users, and these snapshots are all it gets.
 *
 * <p>Stateless and deterministic: every snapshot yields <em>every</em> event it shows has happened, with bodies
 * built only from what does not change once set (ids, start and end times), so the same event from successive
 * snapshots has the same content fingerprint and dedup passes it once. No snapshot needs remembering, and a restart
 * loses nothing. Per participant, in eventTime order:
 *
 * <table>
 *   <caption>snapshot → events</caption>
 *   <tr><th>participant {@code purpose}</th><th>when</th><th>events</th></tr>
 *   <tr><td>customer, external</td><td>a communication's {@code connectedTime} / {@code disconnectedTime}</td>
 *       <td>{@code customer.start} / {@code customer.end}</td></tr>
 *   <tr><td>ivr, botflow, workflow, inbound flow</td><td>the same</td><td>{@code flow.start} / {@code flow.end}</td></tr>
 *   <tr><td>acd</td><td>the same</td><td>{@code acd.start} / {@code acd.end} (with {@code queueId})</td></tr>
 *   <tr><td>agent, user</td><td>the same; then {@code endAcwTime}, or {@code wrapup.endTime}</td>
 *       <td>{@code user.start} / {@code user.end} (with {@code userId}, {@code queueId}); {@code acw} with the
 *       wrap-up code</td></tr>
 *   <tr><td>voicemail</td><td>the same</td><td>{@code voicemail.start} / {@code voicemail.end}</td></tr>
 * </table>
 * The session is the communication ({@code calls[]}, {@code chats[]}, {@code messages[]}, {@code emails[]},
 * {@code callbacks[]}; {@code mediaType} VOICE, CHAT, MESSAGE, EMAIL, CALLBACK). Lower-case snapshot enums become the
 * detail events' upper case. A communication without {@code connectedTime} (still alerting) yields nothing yet.
 * Other purposes (dialer, api, station …) are skipped. The participant's {@code endTime} stands in for a missing
 * {@code disconnectedTime}.
 */
public final class ConversationSnapshotEvents {

  private static final Pattern SNAPSHOT_TOPIC = Pattern.compile("v2\\.(routing\\.queues|users)\\.[^.]+\\.conversations");
  private static final String[][] MEDIA = {
      {"calls", "VOICE"}, {"callbacks", "CALLBACK"}, {"chats", "CHAT"}, {"messages", "MESSAGE"}, {"emails", "EMAIL"}};

  private ConversationSnapshotEvents() {
  }

  /** Whether {@code topicName} is a conversation snapshot topic. */
  public static boolean isSnapshotTopic(String topicName) {
    return topicName != null && SNAPSHOT_TOPIC.matcher(topicName).matches();
  }

  /** The notification messages {@code snapshot} (the topic message's {@code eventBody}) shows, in eventTime order. */
  public static List<JsonObject> eventsOf(JsonObject snapshot) {
    String conversationId = snapshot.getString("id");
    List<JsonObject> out = new ArrayList<>();
    if (conversationId == null) {
      return out;
    }
    for (Object p : snapshot.getJsonArray("participants", new JsonArray())) {
      if (p instanceof JsonObject participant) {
        participantEvents(conversationId, participant, out);
      }
    }
    out.sort(Comparator.comparingLong((JsonObject e) -> e.getJsonObject("eventBody").getLong("eventTime"))
        .thenComparing(e -> e.getString("topicName")));
    return out;
  }

  private static void participantEvents(String conversationId, JsonObject participant, List<JsonObject> out) {
    String family = familyOf(participant.getString("purpose", ""));
    if (family == null) {
      return;
    }
    for (String[] media : MEDIA) {
      for (Object c : participant.getJsonArray(media[0], new JsonArray())) {
        if (!(c instanceof JsonObject communication)) {
          continue;
        }
        Long started = epochMillis(communication.getString("connectedTime"));
        if (started == null) {
          continue;
        }
        out.add(event(conversationId, family + ".start", base(conversationId, participant, communication, media[1],
            family, started)));
        Long ended = epochMillis(communication.getString("disconnectedTime",
            isOver(communication) ? participant.getString("endTime") : null));
        if (ended != null) {
          JsonObject body = base(conversationId, participant, communication, media[1], family, ended);
          putIfPresent(body, "disconnectType", upper(communication.getString("disconnectType")));
          out.add(event(conversationId, family + ".end", body));
        }
        if (family.equals("user")) {
          acw(conversationId, participant, communication, media[1], out);
        }
      }
    }
  }

  /** After-call work ends with {@code endAcwTime} (or the wrap-up's end): one {@code acw} with its code. */
  private static void acw(String conversationId, JsonObject participant, JsonObject communication, String mediaType,
                          List<JsonObject> out) {
    JsonObject wrapup = participant.getJsonObject("wrapup", communication.getJsonObject("wrapup"));
    Long acwEnd = epochMillis(participant.getString("endAcwTime",
        wrapup == null ? null : wrapup.getString("endTime")));
    if (acwEnd == null) {
      return;
    }
    JsonObject body = base(conversationId, participant, communication, mediaType, "user", acwEnd);
    if (wrapup != null) {
      putIfPresent(body, "wrapupCode", wrapup.getString("code"));
      Long started = epochMillis(participant.getString("startAcwTime"));
      if (started != null) {
        body.put("wrapupDurationMs", acwEnd - started);
      }
    }
    out.add(event(conversationId, "acw", body));
  }

  private static JsonObject base(String conversationId, JsonObject participant, JsonObject communication,
                                 String mediaType, String family, long eventTime) {
    JsonObject body = new JsonObject().put("eventTime", eventTime).put("conversationId", conversationId)
        .put("participantId", participant.getString("id")).put("sessionId", communication.getString("id"))
        .put("mediaType", mediaType);
    putIfPresent(body, "direction", upper(communication.getString("direction")));
    putIfPresent(body, "provider", communication.getString("provider"));
    if (family.equals("acd") || family.equals("user") || family.equals("voicemail")) {
      putIfPresent(body, "queueId", participant.getString("queueId"));
    }
    if (family.equals("user") || family.equals("voicemail")) {
      putIfPresent(body, "userId", participant.getString("userId"));
    }
    if (family.equals("customer")) {
      putIfPresent(body, "externalContactId", participant.getString("externalContactId"));
    }
    return body;
  }

  private static JsonObject event(String conversationId, String type, JsonObject body) {
    return new JsonObject().put("topicName", "v2.detail.events.conversation." + conversationId + "." + type)
        .put("version", "2").put("eventBody", body);
  }

  private static String familyOf(String purpose) {
    return switch (purpose.toLowerCase(Locale.ROOT)) {
      case "customer", "external" -> "customer";
      case "ivr", "botflow", "workflow", "inbound" -> "flow";
      case "acd" -> "acd";
      case "agent", "user" -> "user";
      case "voicemail" -> "voicemail";
      default -> null;
    };
  }

  private static boolean isOver(JsonObject communication) {
    String state = communication.getString("state", "");
    return state.equals("disconnected") || state.equals("terminated");
  }

  private static Long epochMillis(String iso) {
    if (iso == null || iso.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(iso).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String upper(String value) {
    return value == null ? null : value.toUpperCase(Locale.ROOT);
  }

  private static void putIfPresent(JsonObject body, String key, String value) {
    if (value != null) {
      body.put(key, value);
    }
  }
}
