package io.switchboard.it.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;

/**
 * The REST {@code Conversation} of {@code GET /api/v2/conversations/{id}} (section 5; sample
 * api-get-conversation-voice-ended.json): participants with start/connected/end times, participantType, ani/dnis,
 * the agent's wrap-up and after-call work, the call objects, and the empty lists of the other media.
 * {@code endTime} is absent while the conversation is active; {@code recordingState} is upper case here
 * (ACTIVE, then NONE once ended, as in the sample).
 */
final class RestView {

  private static final List<String> OTHER_MEDIA = List.of("callbacks", "chats", "cobrowsesessions", "emails", "messages",
      "screenshares", "socialExpressions", "videos");

  private RestView() {
  }

  static JsonObject render(VoiceConversation c) {
    JsonObject o = new JsonObject().put("id", c.id()).put("startTime", Iso.format(c.customer.start));
    if (c.ended()) {
      o.put("endTime", Iso.format(c.endTime));
    }
    JsonArray participants = new JsonArray();
    for (Leg leg : List.of(c.customer, c.ivr, c.acd, c.agent)) {
      if (leg.started()) {
        participants.add(participant(c, leg));
      }
    }
    return o.put("address", c.spec.dnis()).put("participants", participants)
        .put("recordingState", c.ended() ? "NONE" : "ACTIVE")
        .put("divisions", new JsonArray().add(new JsonObject()
            .put("division", new JsonObject().put("id", c.spec.divisionId()).put("name", "Home")
                .put("selfUri", "/api/v2/authorization/divisions/" + c.spec.divisionId()))
            .put("entities", new JsonArray().add(new JsonObject().put("id", c.spec.queueId())
                .put("selfUri", "/api/v2/routing/queues/" + c.spec.queueId())))))
        .put("recentTransfers", new JsonArray()).put("securePause", false)
        .put("selfUri", "/api/v2/conversations/" + c.id());
  }

  private static JsonObject participant(VoiceConversation c, Leg leg) {
    JsonObject p = new JsonObject().put("id", leg.participantId).put("startTime", Iso.format(leg.start));
    if (leg.ended()) {
      p.put("endTime", Iso.format(leg.end));
    }
    if (leg.isConnected()) {
      p.put("connectedTime", Iso.format(leg.connected));
    }
    p.put("name", Calls.name(c, leg));
    if (leg == c.agent) {
      p.put("userUri", "/api/v2/users/" + c.spec.userId()).put("userId", c.spec.userId());
    }
    if (leg == c.customer && c.spec.externalContactId() != null) {
      p.put("externalContactId", c.spec.externalContactId());
    }
    if (leg == c.acd || leg == c.agent) {
      p.put("queueId", c.spec.queueId()).put("queueName", c.spec.queueName());
    }
    p.put("purpose", leg.purpose).put("participantType", leg == c.customer ? "External" : "Internal")
        .put("address", Calls.participantAddress(c, leg)).put("ani", c.spec.ani());
    if (leg == c.customer) {
      p.put("aniName", c.spec.customerName());
    }
    p.put("dnis", c.spec.dnis()).put("wrapupRequired", leg == c.agent);
    if (leg == c.agent) {
      p.put("wrapupTimeoutMs", SnapshotView.WRAPUP_TIMEOUT_MS).put("wrapupSkipped", false)
          .put("alertingTimeoutMs", SnapshotView.ALERTING_TIMEOUT_MS);
      if (leg.acwEnd >= 0) {
        p.put("wrapup", wrapup(leg));
      }
      SnapshotView.agentWrapup(leg, p);
    }
    p.put("attributes", new JsonObject(new LinkedHashMap<>(leg.attributes)));
    if (leg == c.acd) {
      p.put("conversationRoutingData", SnapshotView.routingData(c, true));
    }
    p.put("calls", new JsonArray().add(Calls.render(c, leg)));
    OTHER_MEDIA.forEach(media -> p.put(media, new JsonArray()));
    return p;
  }

  private static JsonObject wrapup(Leg agent) {
    JsonObject w = new JsonObject().put("code", agent.wrapupCode);
    if (agent.wrapupName != null) {
      w.put("name", agent.wrapupName);
    }
    if (agent.wrapupNotes != null) {
      w.put("notes", agent.wrapupNotes);
    }
    return w.put("tags", new JsonArray()).put("durationSeconds", (agent.acwEnd - agent.acwStart) / 1000)
        .put("endTime", Iso.format(agent.acwEnd)).put("provisional", false);
  }
}
