package io.switchboard.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns one analytics conversation (a {@code conversations[]} element of {@code GET …/details/jobs/{id}/results}) into
 * the lifecycle events Switchboard's normaliser takes: Genesys notification messages
 * {@code {"topicName":"v2.detail.events.conversation.<id>.<type>","version":"2","eventBody":{…},"metadata":{…}}}
 * whose bodies carry the detail-event fields (genesys-facts §2a), enums in the detail events' UPPER case.
 *
 * <h2>Mapping</h2>
 * Per participant ({@code purpose}) and session; S = the first segment's {@code segmentStart}, E = the end of the
 * last segment that counts; only segments with a {@code segmentEnd} end anything.
 * <table>
 *   <caption>analytics → detail events</caption>
 *   <tr><th>participant purpose / segment</th><th>events</th><th>eventTime</th><th>extra body fields</th></tr>
 *   <tr><td>customer, external</td><td>customer.start, customer.end</td><td>S; end of last segment</td>
 *       <td>externalContactId, externalOrganizationId; end: disconnectType, interactingDurationMs</td></tr>
 *   <tr><td>ivr, botflow, workflow, voicesurveyflow, inbound (or any session of only {@code ivr} segments)</td>
 *       <td>flow.start, flow.end</td><td>S; end of last segment</td>
 *       <td>session {@code flow}: flowId, flowType, flowVersion; end: exitReason, transferType, disconnectType,
 *       connectedDurationMs</td></tr>
 *   <tr><td>acd (segments with a queueId)</td><td>acd.start, acd.end</td><td>S; end of last segment</td>
 *       <td>queueId, requestedRoutingSkillIds, requestedLanguageId; end: disconnectType, connectedDurationMs,
 *       usedRouting, requestedRoutings, acdOutcome (ANSWERED with answeredUserId when an agent of that queue
 *       started interacting between S and the end's emission time; else ABANDON when the queue leg ended with
 *       peer/endpoint/client; else UNKNOWN)</td></tr>
 *   <tr><td>agent, user: the non-{@code alert}, non-{@code wrapup} segments</td><td>user.start, user.end</td>
 *       <td>first such segment's start; last such segment's end</td>
 *       <td>userId (participant), queueId (segment); end: disconnectType, interactingDurationMs, heldDurationMs,
 *       alertingDurationMs, contactingDurationMs, dialingDurationMs (sums over the session's segments)</td></tr>
 *   <tr><td>agent, user: a {@code wrapup} segment that ended, after a user.start</td><td>acw</td>
 *       <td>segmentEnd</td><td>userId, queueId, wrapupCode (= wrapUpCode), wrapupNotes (= wrapUpNote),
 *       wrapupDurationMs</td></tr>
 *   <tr><td>voicemail</td><td>voicemail.start, voicemail.end</td><td>S; end of last segment</td>
 *       <td>userId, queueId; end: disconnectType, voicemailDurationMs</td></tr>
 * </table>
 * Every body has conversationId, participantId, sessionId, eventTime (epoch ms), mediaType, direction (UPPER), and
 * provider, ani, dnis, addressFrom, addressTo when the session has them. Analytics camelCase enums become UPPER_SNAKE
 * ({@code consultTransfer} → {@code CONSULT_TRANSFER}, {@code Standard} → {@code STANDARD}). Participants of other
 * purposes (dialer, api, station, …) produce nothing; neither do attributes, divisionId and
 * conversationExternalContactIds, which change over a conversation's life and would make its events differ between
 * polls.
 *
 * <h2>Determinism and emission</h2>
 * A poll runs long after its window; the conversation it returns has moved on. So the mapping first cuts the
 * conversation back to what had happened by the window's end ({@code asOf}: later segments dropped, later ends
 * open), then gives each event the time K from which its body cannot change: a start at S; an end at
 * min(E + {@value #HORIZON_MS} ms, conversationEnd), the horizon being how long a session may pause between
 * segments and a queue take to hand over to its agent (earlier when the agent's wrap-up segment begins, for
 * user.end, or when the answering agent's interaction begins, for acd.end); an acw at its segmentEnd. A body reads only what happened
 * by its K, and events are released in eventTime order per conversation (an event not yet final holds back all
 * later ones), so each event's release time K' (the largest K up to it) only grows along the conversation. A window
 * [from, to] yields the events with K' in it. The same conversation therefore always yields the same bytes, and
 * windows that overlap by at least the horizon yield every event at least once, repeats being exact duplicates
 * that dedup drops by fingerprint. Nothing here reads the clock.
 */
public final class AnalyticsEvents {

  /** How long after a session's last segment ends it counts as ended; poll windows must overlap at least this. */
  public static final long HORIZON_MS = 10_000;

  private static final String PREFIX = "v2.detail.events.conversation.";
  private static final Set<String> CUSTOMER = Set.of("customer", "external");
  private static final Set<String> FLOW = Set.of("ivr", "botflow", "workflow", "voicesurveyflow", "inbound");
  private static final Set<String> AGENT = Set.of("agent", "user");
  private static final Set<String> ABANDONS = Set.of("peer", "endpoint", "client");
  /** Tie order at equal eventTime: ends before starts, so a hand-over reads as the lifecycle expects. */
  private static final Map<String, Integer> RANK = Map.ofEntries(Map.entry("customer.start", 0),
      Map.entry("flow.end", 1), Map.entry("acd.end", 2), Map.entry("voicemail.end", 3), Map.entry("user.end", 4),
      Map.entry("acw", 5), Map.entry("flow.start", 6), Map.entry("acd.start", 7), Map.entry("voicemail.start", 8),
      Map.entry("user.start", 9), Map.entry("customer.end", 10));

  /**
   * One mapped event.
   *
   * @param type      the event type (topic suffix)
   * @param eventTime its eventTime, epoch ms
   * @param releaseAt K': from when it is final and may be emitted
   * @param message   the notification message
   */
  public record Mapped(String type, long eventTime, long releaseAt, JsonObject message) {
  }

  private AnalyticsEvents() {
  }

  /** The events of {@code conversation} whose release time lies in [{@code fromMs}, {@code toMs}], in order. */
  public static List<Mapped> inWindow(JsonObject conversation, long fromMs, long toMs) {
    List<Mapped> out = new ArrayList<>();
    for (Mapped m : released(conversation, toMs)) {
      if (m.releaseAt() >= fromMs) {
        out.add(m);
      }
    }
    return out;
  }

  /** Every event of {@code conversation} final by {@code asOf}, in eventTime order, with its release time. */
  public static List<Mapped> released(JsonObject conversation, long asOf) {
    String conversationId = conversation.getString("conversationId");
    if (conversationId == null) {
      return List.of();
    }
    Long end = time(conversation.getString("conversationEnd"));
    long conversationEnd = end != null && end <= asOf ? end : Long.MAX_VALUE;
    List<Candidate> candidates = new ArrayList<>();
    List<Agent> agents = agents(conversation, asOf);
    for (Object p : array(conversation, "participants")) {
      if (!(p instanceof JsonObject participant)) {
        continue;
      }
      for (Object s : array(participant, "sessions")) {
        if (s instanceof JsonObject session) {
          mapSession(conversationId, participant, session, asOf, conversationEnd, agents, candidates);
        }
      }
    }
    candidates.sort(Comparator.comparingLong((Candidate c) -> c.eventTime)
        .thenComparingInt(c -> RANK.getOrDefault(c.type, 99))
        .thenComparing(c -> c.body.getString("participantId", ""))
        .thenComparing(c -> c.body.getString("sessionId", "")));
    List<Mapped> out = new ArrayList<>();
    long release = Long.MIN_VALUE;
    for (Candidate c : candidates) {
      release = Math.max(release, c.finalAt);
      if (release > asOf) {
        break;
      }
      out.add(new Mapped(c.type, c.eventTime, release, message(conversationId, c)));
    }
    return out;
  }

  private record Candidate(String type, long eventTime, long finalAt, JsonObject body) {
  }

  /** An agent's interact segment, for the acd leg it answered. */
  private record Agent(String userId, String queueId, long start) {
  }

  private static void mapSession(String conversationId, JsonObject participant, JsonObject session, long asOf,
                                 long conversationEnd, List<Agent> agents, List<Candidate> out) {
    List<JsonObject> segments = segments(session, asOf);
    if (segments.isEmpty()) {
      return;
    }
    String purpose = participant.getString("purpose", "").toLowerCase(Locale.ROOT);
    boolean allIvr = segments.stream().allMatch(s -> "ivr".equals(s.getString("segmentType")));
    if (CUSTOMER.contains(purpose)) {
      leg(conversationId, participant, session, segments, "customer", asOf, conversationEnd, out, null);
    } else if (FLOW.contains(purpose) || allIvr) {
      leg(conversationId, participant, session, segments, "flow", asOf, conversationEnd, out, null);
    } else if ("acd".equals(purpose)) {
      leg(conversationId, participant, session, segments, "acd", asOf, conversationEnd, out, agents);
    } else if ("voicemail".equals(purpose)) {
      leg(conversationId, participant, session, segments, "voicemail", asOf, conversationEnd, out, null);
    } else if (AGENT.contains(purpose)) {
      agent(conversationId, participant, session, segments, asOf, conversationEnd, out);
    }
  }

  /** A start at the first segment, an end at the last one once it is final. */
  private static void leg(String conversationId, JsonObject participant, JsonObject session, List<JsonObject> segments,
                          String role, long asOf, long conversationEnd, List<Candidate> out, List<Agent> agents) {
    JsonObject first = segments.get(0);
    JsonObject last = segments.get(segments.size() - 1);
    long start = time(first.getString("segmentStart"));
    JsonObject startBody = common(conversationId, participant, session, start);
    roleFields(role, participant, session, first, startBody);
    out.add(new Candidate(role + ".start", start, start, startBody));
    Long end = ended(last, asOf);
    if (end == null) {
      return;
    }
    long finalAt = Math.min(end + HORIZON_MS, Math.max(end, conversationEnd));
    JsonObject body = common(conversationId, participant, session, end);
    roleFields(role, participant, session, last, body);
    putUpper(body, "disconnectType", last.getString("disconnectType"));
    switch (role) {
      case "customer" -> putPositive(body, "interactingDurationMs", sum(segments, "interact"));
      case "flow" -> {
        body.put("connectedDurationMs", end - start);
        JsonObject flow = session.getJsonObject("flow");
        if (flow != null) {
          putUpper(body, "exitReason", flow.getString("exitReason"));
          putUpper(body, "transferType", flow.getString("transferType"));
        }
      }
      case "acd" -> {
        body.put("connectedDurationMs", end - start);
        putUpper(body, "usedRouting", session.getString("usedRouting"));
        JsonArray requested = session.getJsonArray("requestedRoutings");
        if (requested != null) {
          JsonArray upper = new JsonArray();
          requested.forEach(r -> upper.add(upperSnake(String.valueOf(r))));
          body.put("requestedRoutings", upper);
        }
        String queueId = last.getString("queueId");
        Agent answered = null;
        for (Agent a : agents) {
          if (a.start >= start && a.start <= finalAt && (queueId == null || queueId.equals(a.queueId))
              && (answered == null || a.start < answered.start)) {
            answered = a;
          }
        }
        if (answered != null) {
          // Who answered is known once their interaction began: final from then.
          finalAt = Math.max(end, answered.start);
          body.put("acdOutcome", "ANSWERED");
          if (answered.userId != null) {
            body.put("answeredUserId", answered.userId);
          }
        } else {
          body.put("acdOutcome", ABANDONS.contains(last.getString("disconnectType", "")) ? "ABANDON" : "UNKNOWN");
        }
      }
      case "voicemail" -> body.put("voicemailDurationMs", end - start);
      default -> {
      }
    }
    out.add(new Candidate(role + ".end", end, finalAt, body));
  }

  /** user.start/.end over the segments that are neither alert nor wrapup; acw per ended wrapup segment. */
  private static void agent(String conversationId, JsonObject participant, JsonObject session,
                            List<JsonObject> segments, long asOf, long conversationEnd, List<Candidate> out) {
    List<JsonObject> connected = segments.stream().filter(s -> !"alert".equals(s.getString("segmentType"))
        && !"wrapup".equals(s.getString("segmentType"))).toList();
    if (connected.isEmpty()) {
      return;
    }
    String userId = participant.getString("userId");
    JsonObject first = connected.get(0);
    long start = time(first.getString("segmentStart"));
    JsonObject startBody = common(conversationId, participant, session, start);
    putString(startBody, "userId", userId);
    putString(startBody, "queueId", first.getString("queueId"));
    out.add(new Candidate("user.start", start, start, startBody));
    JsonObject last = connected.get(connected.size() - 1);
    Long end = ended(last, asOf);
    if (end == null) {
      return;
    }
    long finalAt = Math.min(end + HORIZON_MS, Math.max(end, conversationEnd));
    for (JsonObject s : segments) {
      Long wrapStart = "wrapup".equals(s.getString("segmentType")) ? time(s.getString("segmentStart")) : null;
      if (wrapStart != null && wrapStart >= end) {
        // Wrap-up began: the connected part is over, whatever the horizon says.
        finalAt = Math.min(finalAt, wrapStart);
      }
    }
    JsonObject body = common(conversationId, participant, session, end);
    putString(body, "userId", userId);
    putString(body, "queueId", last.getString("queueId"));
    putUpper(body, "disconnectType", last.getString("disconnectType"));
    putPositive(body, "interactingDurationMs", sum(segments, "interact"));
    putPositive(body, "heldDurationMs", sum(segments, "hold"));
    putPositive(body, "alertingDurationMs", sum(segments, "alert"));
    putPositive(body, "contactingDurationMs", sum(segments, "contacting"));
    putPositive(body, "dialingDurationMs", sum(segments, "dialing"));
    out.add(new Candidate("user.end", end, finalAt, body));
    for (JsonObject wrapup : segments) {
      Long wrapEnd = "wrapup".equals(wrapup.getString("segmentType")) ? ended(wrapup, asOf) : null;
      if (wrapEnd == null || wrapEnd < end) {
        continue;
      }
      JsonObject acw = common(conversationId, participant, session, wrapEnd);
      putString(acw, "userId", userId);
      putString(acw, "queueId", wrapup.getString("queueId"));
      putString(acw, "wrapupCode", wrapup.getString("wrapUpCode"));
      putString(acw, "wrapupNotes", wrapup.getString("wrapUpNote"));
      acw.put("wrapupDurationMs", wrapEnd - time(wrapup.getString("segmentStart")));
      out.add(new Candidate("acw", wrapEnd, wrapEnd, acw));
    }
  }

  private static void roleFields(String role, JsonObject participant, JsonObject session, JsonObject segment,
                                 JsonObject body) {
    switch (role) {
      case "customer" -> {
        putString(body, "externalContactId", participant.getString("externalContactId"));
        putString(body, "externalOrganizationId", participant.getString("externalOrganizationId"));
      }
      case "flow" -> {
        JsonObject flow = session.getJsonObject("flow");
        if (flow != null) {
          putString(body, "flowId", flow.getString("flowId"));
          putUpper(body, "flowType", flow.getString("flowType"));
          Object version = flow.getValue("flowVersion");
          if (version != null) {
            body.put("flowVersion", String.valueOf(version));
          }
        }
      }
      case "acd" -> {
        putString(body, "queueId", segment.getString("queueId"));
        if (segment.getValue("requestedRoutingSkillIds") instanceof JsonArray skills) {
          body.put("requestedRoutingSkillIds", skills.copy());
        }
        putString(body, "requestedLanguageId", segment.getString("requestedLanguageId"));
      }
      case "voicemail" -> {
        putString(body, "userId", participant.getString("userId"));
        putString(body, "queueId", segment.getString("queueId"));
      }
      default -> {
      }
    }
  }

  /** The fields every detail event but attributes carries. */
  private static JsonObject common(String conversationId, JsonObject participant, JsonObject session, long time) {
    JsonObject body = new JsonObject().put("eventTime", time).put("conversationId", conversationId);
    putString(body, "participantId", participant.getString("participantId"));
    putString(body, "sessionId", session.getString("sessionId"));
    putUpper(body, "mediaType", session.getString("mediaType"));
    putString(body, "provider", session.getString("provider"));
    putUpper(body, "direction", session.getString("direction"));
    putString(body, "ani", session.getString("ani"));
    putString(body, "dnis", session.getString("dnis"));
    putString(body, "addressFrom", session.getString("addressFrom"));
    putString(body, "addressTo", session.getString("addressTo"));
    putUpper(body, "messageType", session.getString("messageType"));
    return body;
  }

  private static JsonObject message(String conversationId, Candidate c) {
    String topic = PREFIX + conversationId + "." + c.type;
    // Deterministic, so a re-poll is byte-identical; not part of the fingerprint anyway.
    String correlation = UUID.nameUUIDFromBytes((topic + "|" + c.body.getString("sessionId", "") + "|" + c.eventTime)
        .getBytes(StandardCharsets.UTF_8)).toString();
    return new JsonObject().put("topicName", topic).put("version", "2").put("eventBody", c.body)
        .put("metadata", new JsonObject().put("CorrelationId", correlation));
  }

  /** Every agent interact segment that had started by {@code asOf}: who answered which queue leg. */
  private static List<Agent> agents(JsonObject conversation, long asOf) {
    List<Agent> agents = new ArrayList<>();
    for (Object p : array(conversation, "participants")) {
      if (!(p instanceof JsonObject participant)
          || !AGENT.contains(participant.getString("purpose", "").toLowerCase(Locale.ROOT))) {
        continue;
      }
      for (Object s : array(participant, "sessions")) {
        if (s instanceof JsonObject session) {
          for (JsonObject segment : segments(session, asOf)) {
            if ("interact".equals(segment.getString("segmentType"))) {
              agents.add(new Agent(participant.getString("userId"), segment.getString("queueId"),
                  time(segment.getString("segmentStart"))));
            }
          }
        }
      }
    }
    return agents;
  }

  /** The session's segments that had started by {@code asOf}, by start; unparseable ones are skipped. */
  private static List<JsonObject> segments(JsonObject session, long asOf) {
    List<JsonObject> segments = new ArrayList<>();
    for (Object s : array(session, "segments")) {
      if (s instanceof JsonObject segment) {
        Long start = time(segment.getString("segmentStart"));
        if (start != null && start <= asOf) {
          segments.add(segment);
        }
      }
    }
    segments.sort(Comparator.comparingLong(s -> time(s.getString("segmentStart"))));
    return segments;
  }

  /** The segment's end if it had ended by {@code asOf}. */
  private static Long ended(JsonObject segment, long asOf) {
    Long end = time(segment.getString("segmentEnd"));
    return end != null && end <= asOf ? end : null;
  }

  private static long sum(List<JsonObject> segments, String type) {
    long total = 0;
    for (JsonObject s : segments) {
      Long start = time(s.getString("segmentStart"));
      Long end = time(s.getString("segmentEnd"));
      if (type.equals(s.getString("segmentType")) && start != null && end != null) {
        total += end - start;
      }
    }
    return total;
  }

  /** {@code consultTransfer} → {@code CONSULT_TRANSFER}; already upper-case values stay as they are. */
  static String upperSnake(String value) {
    StringBuilder out = new StringBuilder(value.length() + 4);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isUpperCase(c) && i > 0 && Character.isLowerCase(value.charAt(i - 1))) {
        out.append('_');
      }
      out.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return out.toString();
  }

  static Long time(String iso) {
    if (iso == null) {
      return null;
    }
    try {
      return Instant.parse(iso).toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static JsonArray array(JsonObject json, String key) {
    return json.getValue(key) instanceof JsonArray a ? a : new JsonArray();
  }

  private static void putString(JsonObject body, String key, String value) {
    if (value != null) {
      body.put(key, value);
    }
  }

  private static void putUpper(JsonObject body, String key, String value) {
    if (value != null) {
      body.put(key, upperSnake(value));
    }
  }

  private static void putPositive(JsonObject body, String key, long value) {
    if (value > 0) {
      body.put(key, value);
    }
  }
}
