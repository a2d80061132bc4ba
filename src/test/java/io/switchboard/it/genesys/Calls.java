package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

/**
 * A leg's call object, shared by the conversation topics and the REST Conversation (they spell it the same way, in
 * lower case): state, initialState, recording, the flags, disconnectType, direction, self/other addresses for the
 * customer and agent, provider, times, and the agent's after-call work.
 *
 * <p>States: an agent leg that has not connected is {@code alerting}; a running leg {@code connected}; an ended
 * leg {@code disconnected} while the conversation goes on and {@code terminated} once it has ended (as in the
 * REST sample of an ended call).
 */
final class Calls {

  private Calls() {
  }

  static JsonObject render(VoiceConversation c, Leg leg) {
    boolean recorded = leg == c.customer || leg == c.agent;
    JsonObject call = new JsonObject().put("id", leg.sessionId).put("state", state(c, leg))
        .put("initialState", initialState(c, leg)).put("recording", recorded)
        .put("recordingState", recorded ? "active" : "none").put("muted", false).put("confined", false)
        .put("held", false).put("securePause", false);
    if (leg.disconnectType != null) {
      call.put("disconnectType", leg.disconnectType);
    }
    call.put("direction", "inbound");
    if (leg == c.customer) {
      call.put("self", address(c.spec.ani())).put("other", address(c.spec.dnis()));
    } else if (leg == c.agent) {
      call.put("self", address(agentAddress(c))).put("other", address(c.spec.ani()));
    }
    call.put("provider", c.spec.provider());
    if (leg.isConnected()) {
      call.put("connectedTime", Iso.format(leg.connected));
    }
    if (leg.ended()) {
      call.put("disconnectedTime", Iso.format(leg.end));
    }
    call.put("afterCallWorkRequired", leg == c.agent);
    if (leg == c.agent && leg.acwStart >= 0) {
      JsonObject acw = new JsonObject().put("state", leg.acwEnd >= 0 ? "complete" : "pending")
          .put("startTime", Iso.format(leg.acwStart));
      if (leg.acwEnd >= 0) {
        acw.put("endTime", Iso.format(leg.acwEnd));
      }
      call.put("afterCallWork", acw);
    }
    return call;
  }

  static String state(VoiceConversation c, Leg leg) {
    if (leg.ended()) {
      return c.ended() ? "terminated" : "disconnected";
    }
    return leg.isConnected() ? "connected" : "alerting";
  }

  static String agentAddress(VoiceConversation c) {
    return "sip:" + c.spec.userId() + "@localhost";
  }

  /** The participant's own address: the caller's number, the agent's SIP address, the dialled number otherwise. */
  static String participantAddress(VoiceConversation c, Leg leg) {
    return leg == c.customer ? c.spec.ani() : leg == c.agent ? agentAddress(c) : c.spec.dnis();
  }

  static String name(VoiceConversation c, Leg leg) {
    return leg == c.customer ? c.spec.customerName() : leg == c.ivr ? c.spec.flowName()
        : leg == c.acd ? c.spec.queueName() : c.spec.agentName();
  }

  private static String initialState(VoiceConversation c, Leg leg) {
    return leg == c.agent ? "alerting" : leg == c.ivr ? "connected" : "offering";
  }

  private static JsonObject address(String address) {
    String raw = address.startsWith("tel:") ? address.substring(4) : address;
    return new JsonObject().put("addressNormalized", address).put("addressRaw", raw)
        .put("addressDisplayable", "Unavailable");
  }
}
