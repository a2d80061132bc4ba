package io.switchboard.it.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The analytics conversation-details record (section 6; sample api-analytics-details-job-results-page.json), in
 * analytics casing: lower-case {@code mediaType}, camelCase segment {@code disconnectType}, capitalised routing
 * ({@code Standard}), segment types {@code interact/alert/wrapup/ivr}, ISO times, {@code metrics[{name,value,
 * emitDate}]}. A segment still running has no {@code segmentEnd}; an active conversation has no
 * {@code conversationEnd}. The sample leaves the IVR participant out; here it is included with an {@code ivr}
 * segment, as a real record would have it.
 */
final class AnalyticsView {

  private AnalyticsView() {
  }

  static JsonObject render(VoiceConversation c) {
    JsonObject o = new JsonObject().put("conversationId", c.id()).put("conversationStart", Iso.format(c.customer.start));
    if (c.ended()) {
      o.put("conversationEnd", Iso.format(c.endTime));
    }
    JsonArray participants = new JsonArray().add(customer(c));
    if (c.ivr.started()) {
      participants.add(participant(c, c.ivr).put("sessions", new JsonArray().add(session(c, c.ivr)
          .put("segments", new JsonArray().add(segment(c.ivr.start, c.ivr.end, "ivr", c.ivr.disconnectType))))));
    }
    if (c.acd.started()) {
      participants.add(acd(c));
    }
    if (c.agent.started()) {
      participants.add(agent(c));
    }
    return o.put("originatingDirection", "inbound").put("divisionIds", new JsonArray().add(c.spec.divisionId()))
        .put("participants", participants);
  }

  private static JsonObject customer(VoiceConversation c) {
    JsonObject p = participant(c, c.customer);
    if (c.spec.externalContactId() != null) {
      p.put("externalContactId", c.spec.externalContactId());
    }
    JsonObject interact = segment(c.customer.connected, c.customer.end, "interact", c.customer.disconnectType)
        .put("conference", false);
    return p.put("sessions", new JsonArray().add(session(c, c.customer).put("segments", new JsonArray().add(interact))));
  }

  private static JsonObject acd(VoiceConversation c) {
    Leg acd = c.acd;
    boolean answered = VoiceConversation.ANSWERED.equals(c.acdOutcome);
    JsonObject session = session(c, acd).put("requestedRoutings", new JsonArray().add("Standard"));
    if (answered) {
      session.put("usedRouting", "Standard").put("selectedAgentId", c.spec.userId());
    }
    if (acd.ended()) {
      session.put("metrics", new JsonArray().add(metric(answered ? "tAcd" : "tAbandon", acd.end - acd.start, acd.end)));
    }
    JsonObject segment = segment(acd.start, acd.end, "interact", acd.disconnectType).put("queueId", c.spec.queueId());
    if (!c.spec.skillIds().isEmpty()) {
      segment.put("requestedRoutingSkillIds", new JsonArray(c.spec.skillIds()));
    }
    return participant(c, acd).put("sessions", new JsonArray().add(session.put("segments", new JsonArray().add(segment))));
  }

  private static JsonObject agent(VoiceConversation c) {
    Leg agent = c.agent;
    JsonObject session = session(c, agent);
    JsonArray metrics = new JsonArray();
    if (agent.ended() && agent.isConnected()) {
      metrics.add(metric("tTalkComplete", agent.end - agent.connected, agent.end));
    }
    if (agent.acwEnd >= 0) {
      metrics.add(metric("tAcw", agent.acwEnd - agent.acwStart, agent.acwEnd));
    }
    if (!metrics.isEmpty()) {
      session.put("metrics", metrics);
    }
    String queue = c.spec.queueId();
    JsonArray segments = new JsonArray();
    long alertEnd = agent.isConnected() ? agent.connected : agent.end;
    segments.add(segment(agent.start, alertEnd, "alert", agent.isConnected() ? null : agent.disconnectType)
        .put("queueId", queue));
    if (agent.isConnected()) {
      segments.add(segment(agent.connected, agent.end, "interact", agent.disconnectType).put("queueId", queue));
    }
    if (agent.acwStart >= 0) {
      JsonObject wrapup = segment(agent.acwStart, agent.acwEnd, "wrapup", null).put("queueId", queue);
      if (agent.wrapupCode != null) {
        wrapup.put("wrapUpCode", agent.wrapupCode);
      }
      if (agent.wrapupNotes != null) {
        wrapup.put("wrapUpNote", agent.wrapupNotes);
      }
      segments.add(wrapup);
    }
    return participant(c, agent).put("userId", c.spec.userId())
        .put("sessions", new JsonArray().add(session.put("segments", segments)));
  }

  private static JsonObject participant(VoiceConversation c, Leg leg) {
    return new JsonObject().put("participantId", leg.participantId).put("participantName", Calls.name(c, leg))
        .put("purpose", leg.purpose);
  }

  private static JsonObject session(VoiceConversation c, Leg leg) {
    return new JsonObject().put("sessionId", leg.sessionId).put("mediaType", "voice").put("direction", "inbound")
        .put("ani", c.spec.ani()).put("dnis", c.spec.dnis()).put("provider", c.spec.provider());
  }

  /** The four disconnect types the model produces are spelled the same in analytics camelCase. */
  private static JsonObject segment(long start, long end, String type, String disconnectType) {
    JsonObject segment = new JsonObject().put("segmentStart", Iso.format(start));
    if (end >= 0) {
      segment.put("segmentEnd", Iso.format(end));
    }
    segment.put("segmentType", type);
    if (end >= 0 && disconnectType != null) {
      segment.put("disconnectType", disconnectType);
    }
    return segment;
  }

  private static JsonObject metric(String name, long value, long emitDate) {
    return new JsonObject().put("name", name).put("value", value).put("emitDate", Iso.format(emitDate));
  }
}
