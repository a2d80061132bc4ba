package io.switchboard.it.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Locale;

/**
 * Detail-event bodies (section 2a; the eb-voice-* samples): epoch-ms {@code eventTime}, UPPER-CASE enums, the common
 * fields on every event but {@code attributes}, and each event's own fields. Durations are computed from the legs
 * the way the samples' numbers relate (e.g. {@code customer.end interactingDurationMs} counts from the agent's
 * connect). Holding time is not modelled, so {@code heldDurationMs} is never sent.
 */
final class DetailEvents {

  private DetailEvents() {
  }

  static JsonObject customerStart(VoiceConversation c, long t) {
    JsonObject o = common(c, c.customer, t);
    putIfSet(o, "externalContactId", c.spec.externalContactId());
    return contacts(c, o).put("divisionId", c.spec.divisionId());
  }

  static JsonObject customerEnd(VoiceConversation c, long t) {
    JsonObject o = common(c, c.customer, t).put("disconnectType", upper(c.customer.disconnectType));
    putIfSet(o, "externalContactId", c.spec.externalContactId());
    if (c.agent.isConnected()) {
      o.put("interactingDurationMs", t - c.agent.connected);
    }
    return contacts(c, o).put("divisionId", c.spec.divisionId());
  }

  static JsonObject flowStart(VoiceConversation c, long t) {
    return contacts(c, flow(c, common(c, c.ivr, t)));
  }

  static JsonObject flowEnd(VoiceConversation c, long t) {
    boolean transfer = "transfer".equals(c.ivr.disconnectType);
    JsonObject o = common(c, c.ivr, t).put("disconnectType", upper(c.ivr.disconnectType));
    flow(c, o).put("connectedDurationMs", t - c.ivr.connected).put("exitReason", transfer ? "TRANSFER" : "DISCONNECT");
    if (transfer) {
      o.put("transferType", "ACD");
    }
    return contacts(c, o);
  }

  static JsonObject acdStart(VoiceConversation c, long t) {
    JsonObject o = common(c, c.acd, t).put("queueId", c.spec.queueId()).put("divisionId", c.spec.divisionId());
    contacts(c, o).put("routingPriority", 0);
    if (!c.spec.skillIds().isEmpty()) {
      o.put("requestedRoutingSkillIds", new JsonArray(c.spec.skillIds()));
    }
    return o.put("skillExpressionApplied", false);
  }

  static JsonObject acdEnd(VoiceConversation c, long t) {
    boolean answered = VoiceConversation.ANSWERED.equals(c.acdOutcome);
    JsonObject o = common(c, c.acd, t).put("disconnectType", upper(c.acd.disconnectType))
        .put("queueId", c.spec.queueId()).put("divisionId", c.spec.divisionId()).put("acdOutcome", c.acdOutcome);
    if (answered) {
      o.put("answeredUserId", c.spec.userId());
    }
    o.put("requestedRoutings", new JsonArray().add("STANDARD"));
    if (answered) {
      o.put("usedRouting", "STANDARD");
    }
    if (!c.spec.skillIds().isEmpty()) {
      o.put("requestedRoutingSkillIds", new JsonArray(c.spec.skillIds()));
    }
    putIfSet(o, "requestedLanguageId", c.spec.languageId());
    o.put("routingPriority", 0).put("connectedDurationMs", t - c.acd.connected);
    return contacts(c, o);
  }

  static JsonObject userStart(VoiceConversation c, long t) {
    return contacts(c, common(c, c.agent, t).put("userId", c.spec.userId()).put("divisionId", c.spec.divisionId())
        .put("queueId", c.spec.queueId()));
  }

  static JsonObject userEnd(VoiceConversation c, long t) {
    return contacts(c, common(c, c.agent, t).put("disconnectType", upper(c.agent.disconnectType))
        .put("userId", c.spec.userId()).put("divisionId", c.spec.divisionId()).put("queueId", c.spec.queueId())
        .put("interactingDurationMs", t - c.agent.connected).put("alertingDurationMs", c.agent.connected - c.agent.start));
  }

  /** After-call work: the wrap-up code is the code's id; no divisionId (section 2a). */
  static JsonObject acw(VoiceConversation c, long t) {
    JsonObject o = common(c, c.agent, t).put("userId", c.spec.userId()).put("queueId", c.spec.queueId())
        .put("wrapupCode", c.agent.wrapupCode);
    putIfSet(o, "wrapupNotes", c.agent.wrapupNotes);
    return contacts(c, o.put("wrapupDurationMs", c.agent.acwEnd - c.agent.acwStart));
  }

  /** Only eventTime, ids, the attributes and {@code communications}: no sessionId, no top-level mediaType. */
  static JsonObject attributes(VoiceConversation c, long t) {
    JsonObject o = new JsonObject().put("eventTime", t).put("conversationId", c.id())
        .put("participantId", c.customer.participantId).put("attributes", new JsonObject(new LinkedHashMap<>(c.customer.attributes)));
    return contacts(c, o).put("communications", new JsonArray()
        .add(new JsonObject().put("id", c.customer.sessionId).put("mediaType", "VOICE")));
  }

  private static JsonObject common(VoiceConversation c, Leg leg, long t) {
    return new JsonObject().put("eventTime", t).put("conversationId", c.id()).put("participantId", leg.participantId)
        .put("sessionId", leg.sessionId).put("mediaType", "VOICE").put("provider", c.spec.provider())
        .put("direction", "INBOUND").put("ani", c.spec.ani()).put("dnis", c.spec.dnis());
  }

  private static JsonObject flow(VoiceConversation c, JsonObject o) {
    return o.put("flowType", "INBOUNDCALL").put("flowId", c.spec.flowId()).put("divisionId", c.spec.divisionId())
        .put("flowVersion", "1.0");
  }

  private static JsonObject contacts(VoiceConversation c, JsonObject o) {
    if (c.spec.externalContactId() != null) {
      o.put("conversationExternalContactIds", new JsonArray().add(c.spec.externalContactId()));
    }
    return o;
  }

  private static void putIfSet(JsonObject o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private static String upper(String topicSpelling) {
    return topicSpelling.toUpperCase(Locale.ROOT);
  }
}
