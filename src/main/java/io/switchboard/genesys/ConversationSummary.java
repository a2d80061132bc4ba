package io.switchboard.genesys;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The compact, filterable summary of a REST Conversation ({@code GET /api/v2/conversations/{id}}, genesys-facts §5)
 * that enrichment attaches to a conversation's snapshot under {@code "enrichment"}:
 *
 * <pre>{@code
 * {"participants": {"customer": {"count": 1, "ids": ["387a…"]}, "ivr": {…}, "acd": {…}, "agent": {…}},
 *  "mediaTypes": ["voice"], "queueIds": ["ebcf…"], "userIds": ["2a82…"], "wrapupCodes": ["38b3…"],
 *  "divisionIds": ["6867…"], "ended": true, "fetchedAt": 1741702182514}
 * }</pre>
 *
 * <p>Purposes are Genesys' free strings lower-cased ({@code "unknown"} when absent); media types are the participants'
 * non-empty communication arrays in the snapshot's {@code channels} vocabulary ({@code calls} → {@code voice},
 * {@code messages} → {@code message}, …); queue ids come from {@code queueId} and
 * {@code conversationRoutingData.queue.id}; wrap-up codes from each participant's and each communication's
 * {@code wrapup.code}; {@code ended}: the conversation has an {@code endTime}. Every list keeps first-seen order
 * without repeats. Names, addresses, attributes and notes are left out on purpose: the summary is for routing
 * decisions, and it is kept in memory and written into every later delivery of the conversation.
 *
 * <p><b>Size.</b> Lists hold at most {@value #MAX_IDS} values, purposes at most {@value #MAX_PURPOSES}, and values
 * longer than {@value #MAX_VALUE_CHARS} characters are dropped (Genesys ids are 36-character UUIDs), so a summary is
 * bounded at a few KB however large the conversation; the voice sample's is under 700 bytes (tested), most of it its four
 * participant ids.
 */
public final class ConversationSummary {

  static final int MAX_IDS = 16;
  static final int MAX_PURPOSES = 16;
  static final int MAX_VALUE_CHARS = 64;

  /** Participant arrays that are communications, with the media type each means. */
  private static final Map<String, String> MEDIA = new LinkedHashMap<>();

  static {
    MEDIA.put("calls", "voice");
    MEDIA.put("callbacks", "callback");
    MEDIA.put("chats", "chat");
    MEDIA.put("emails", "email");
    MEDIA.put("messages", "message");
    MEDIA.put("cobrowsesessions", "cobrowse");
    MEDIA.put("screenshares", "screenshare");
    MEDIA.put("videos", "video");
    MEDIA.put("socialExpressions", "socialexpression");
    MEDIA.put("internalMessages", "internalmessage");
    MEDIA.put("screenMonitorings", "screenmonitoring");
  }

  private ConversationSummary() {
  }

  /** The summary of {@code conversation} as fetched at {@code fetchedAt} (epoch ms). Never throws on odd input. */
  public static JsonObject of(JsonObject conversation, long fetchedAt) {
    Objects.requireNonNull(conversation, "conversation");
    Map<String, Set<String>> idsByPurpose = new LinkedHashMap<>();
    Map<String, Integer> countByPurpose = new LinkedHashMap<>();
    Set<String> media = new LinkedHashSet<>();
    Set<String> queues = new LinkedHashSet<>();
    Set<String> users = new LinkedHashSet<>();
    Set<String> wrapups = new LinkedHashSet<>();
    Set<String> divisions = new LinkedHashSet<>();
    for (Object item : array(conversation.getValue("participants"))) {
      if (!(item instanceof JsonObject participant)) {
        continue;
      }
      String purpose = string(participant.getValue("purpose"));
      purpose = purpose == null ? "unknown" : purpose.toLowerCase(Locale.ROOT);
      if (countByPurpose.containsKey(purpose) || countByPurpose.size() < MAX_PURPOSES) {
        countByPurpose.merge(purpose, 1, Integer::sum);
        add(idsByPurpose.computeIfAbsent(purpose, p -> new LinkedHashSet<>()), participant.getValue("id"));
      }
      add(queues, participant.getValue("queueId"));
      add(queues, path(participant, "conversationRoutingData", "queue", "id"));
      add(users, participant.getValue("userId"));
      add(wrapups, path(participant, "wrapup", "code"));
      for (Map.Entry<String, String> kind : MEDIA.entrySet()) {
        JsonArray communications = array(participant.getValue(kind.getKey()));
        if (!communications.isEmpty()) {
          media.add(kind.getValue());
        }
        for (Object communication : communications) {
          if (communication instanceof JsonObject c) {
            add(wrapups, path(c, "wrapup", "code"));
          }
        }
      }
    }
    for (Object item : array(conversation.getValue("divisions"))) {
      if (item instanceof JsonObject division) {
        add(divisions, path(division, "division", "id"));
      }
    }
    JsonObject participants = new JsonObject();
    countByPurpose.forEach((purpose, count) -> participants.put(purpose, new JsonObject().put("count", count)
        .put("ids", json(idsByPurpose.get(purpose)))));
    return new JsonObject()
        .put("participants", participants)
        .put("mediaTypes", json(media))
        .put("queueIds", json(queues))
        .put("userIds", json(users))
        .put("wrapupCodes", json(wrapups))
        .put("divisionIds", json(divisions))
        .put("ended", string(conversation.getValue("endTime")) != null)
        .put("fetchedAt", fetchedAt);
  }

  /**
   * {@code snapshot} (a JSON object's bytes, as the state stage encodes it) with {@code "enrichment": summary}
   * appended: spliced, so the summary is neither parsed nor re-encoded per delivery. {@code summary} null: the
   * snapshot unchanged.
   */
  public static Buffer splice(Buffer snapshot, byte[] summary) {
    if (snapshot == null || summary == null) {
      return snapshot;
    }
    int end = snapshot.length() - 1;
    while (end >= 0 && snapshot.getByte(end) != '}') {
      end--;
    }
    if (end < 1) {
      throw new IllegalArgumentException("snapshot is not a JSON object");
    }
    int last = end - 1;
    while (last >= 0 && Character.isWhitespace(snapshot.getByte(last))) {
      last--;
    }
    boolean empty = snapshot.getByte(last) == '{';
    return Buffer.buffer(end + summary.length + 16).appendBuffer(snapshot, 0, end)
        .appendString(empty ? "\"enrichment\":" : ",\"enrichment\":").appendBytes(summary).appendByte((byte) '}');
  }

  private static void add(Set<String> to, Object value) {
    String s = string(value);
    if (s != null && !s.isEmpty() && s.length() <= MAX_VALUE_CHARS && to.size() < MAX_IDS) {
      to.add(s);
    }
  }

  private static Object path(JsonObject from, String... keys) {
    Object at = from;
    for (String key : keys) {
      if (!(at instanceof JsonObject object)) {
        return null;
      }
      at = object.getValue(key);
    }
    return at;
  }

  private static JsonArray array(Object value) {
    return value instanceof JsonArray a ? a : new JsonArray();
  }

  private static String string(Object value) {
    return value instanceof String s ? s : null;
  }

  private static JsonArray json(Set<String> values) {
    return new JsonArray(new ArrayList<>(values));
  }
}
