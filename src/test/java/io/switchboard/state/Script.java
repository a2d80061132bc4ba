package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Writes a synthetic conversation leg by leg, one second apart, with fresh session ids per leg. */
final class Script {

  final String conversationId;
  final String customerSession = UUID.randomUUID().toString();
  final String customerParticipant = UUID.randomUUID().toString();
  String flowSession;
  String acdSession;
  String agentSession;
  String agentParticipant;
  String userId;
  long time = 1_741_700_000_000L;

  Script(String conversationId) {
    this.conversationId = conversationId;
  }

  PipelineEvent customerStart() {
    return event("customer.start", customerParticipant, customerSession, null);
  }

  PipelineEvent customerEnd() {
    return event("customer.end", customerParticipant, customerSession, new JsonObject().put("disconnectType", "ENDPOINT"));
  }

  PipelineEvent flowStart() {
    flowSession = UUID.randomUUID().toString();
    return event("flow.start", UUID.randomUUID().toString(), flowSession, new JsonObject().put("flowType", "INBOUNDCALL"));
  }

  PipelineEvent flowEnd() {
    return event("flow.end", null, flowSession, new JsonObject().put("exitReason", "TRANSFER"));
  }

  PipelineEvent acdStart(String queueId) {
    acdSession = UUID.randomUUID().toString();
    return event("acd.start", UUID.randomUUID().toString(), acdSession, new JsonObject().put("queueId", queueId));
  }

  PipelineEvent acdEnd(String outcome) {
    return event("acd.end", null, acdSession, new JsonObject().put("acdOutcome", outcome));
  }

  PipelineEvent userStart(String user) {
    agentSession = UUID.randomUUID().toString();
    agentParticipant = UUID.randomUUID().toString();
    userId = user;
    return event("user.start", agentParticipant, agentSession, new JsonObject().put("userId", user));
  }

  PipelineEvent userEnd(String disconnectType) {
    return event("user.end", agentParticipant, agentSession,
        new JsonObject().put("userId", userId).put("disconnectType", disconnectType));
  }

  PipelineEvent acw() {
    return event("acw", agentParticipant, agentSession, new JsonObject().put("userId", userId));
  }

  PipelineEvent event(String type, String participantId, String sessionId, JsonObject body) {
    time += 1000;
    return Samples.event(conversationId, type, time, participantId, sessionId, body);
  }
}
