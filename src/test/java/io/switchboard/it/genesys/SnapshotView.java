package io.switchboard.it.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The whole-conversation body of {@code v2.routing.queues.{id}.conversations} and {@code v2.users.{id}.conversations}
 * (section 2b; sample ws-msg-queue-conversation-voice-agent-connected.json): lower-case enums, ISO times, every
 * participant that has started, re-sent whole on every change.
 */
final class SnapshotView {

  static final int WRAPUP_TIMEOUT_MS = 120_000;
  static final int ALERTING_TIMEOUT_MS = 8_000;

  private SnapshotView() {
  }

  static JsonObject render(VoiceConversation c) {
    JsonArray participants = new JsonArray();
    for (Leg leg : List.of(c.customer, c.ivr, c.acd, c.agent)) {
      if (leg.started()) {
        participants.add(participant(c, leg));
      }
    }
    return new JsonObject().put("id", c.id()).put("maxParticipants", 0)
        .put("recordingState", c.ended() ? "none" : "active").put("address", c.spec.dnis())
        .put("participants", participants).put("divisions", new JsonArray().add(new JsonObject()
            .put("division", new JsonObject().put("id", c.spec.divisionId())
                .put("selfUri", "/api/v2/authorization/divisions/" + c.spec.divisionId()))
            .put("entities", new JsonArray().add(new JsonObject().put("id", c.spec.queueId())
                .put("selfUri", "/api/v2/routing/queues/" + c.spec.queueId())))));
  }

  private static JsonObject participant(VoiceConversation c, Leg leg) {
    JsonObject p = new JsonObject().put("id", leg.participantId);
    if (leg.isConnected()) {
      p.put("connectedTime", Iso.format(leg.connected));
    }
    if (leg.ended()) {
      p.put("endTime", Iso.format(leg.end));
    }
    if (leg == c.agent) {
      p.put("userId", c.spec.userId());
    }
    p.put("name", Calls.name(c, leg));
    if (leg == c.acd || leg == c.agent) {
      p.put("queueId", c.spec.queueId());
    }
    p.put("purpose", leg.purpose).put("address", Calls.participantAddress(c, leg));
    if (leg == c.customer && c.spec.externalContactId() != null) {
      p.put("externalContactId", c.spec.externalContactId());
    }
    p.put("wrapupRequired", leg == c.agent);
    if (leg == c.agent) {
      p.put("wrapupExpected", true).put("wrapupTimeoutMs", WRAPUP_TIMEOUT_MS).put("alertingTimeoutMs", ALERTING_TIMEOUT_MS);
      if (leg.acwEnd >= 0) {
        JsonObject wrapup = new JsonObject().put("code", leg.wrapupCode);
        if (leg.wrapupNotes != null) {
          wrapup.put("notes", leg.wrapupNotes);
        }
        p.put("wrapup", wrapup.put("tags", new JsonArray()).put("durationSeconds", (leg.acwEnd - leg.acwStart) / 1000)
            .put("endTime", Iso.format(leg.acwEnd)));
      }
      agentWrapup(leg, p);
    }
    if (leg == c.customer) {
      p.put("mediaRoles", new JsonArray());
    }
    p.put("attributes", new JsonObject(new LinkedHashMap<>(leg.attributes)));
    if (leg == c.acd) {
      p.put("conversationRoutingData", routingData(c, false));
    }
    return p.put("calls", new JsonArray().add(Calls.render(c, leg)));
  }

  static void agentWrapup(Leg agent, JsonObject p) {
    if (agent.acwStart >= 0) {
      p.put("startAcwTime", Iso.format(agent.acwStart));
    }
    if (agent.acwEnd >= 0) {
      p.put("endAcwTime", Iso.format(agent.acwEnd));
    }
  }

  /** {@code conversationRoutingData}; the REST form adds selfUris. */
  static JsonObject routingData(VoiceConversation c, boolean rest) {
    JsonObject queue = new JsonObject().put("id", c.spec.queueId());
    if (rest) {
      queue.put("selfUri", "/api/v2/routing/queues/" + c.spec.queueId());
    }
    JsonObject data = new JsonObject().put("queue", queue);
    if (c.spec.languageId() != null) {
      data.put("language", new JsonObject().put("id", c.spec.languageId()));
    }
    JsonArray skills = new JsonArray();
    for (String skill : c.spec.skillIds()) {
      JsonObject s = new JsonObject().put("id", skill);
      skills.add(rest ? s.put("selfUri", "/api/v2/routing/skills/" + skill) : s);
    }
    return data.put("priority", 0).put("skills", skills).put("scoredAgents", new JsonArray());
  }
}
