package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One participant session of a conversation (customer, IVR, queue or agent leg) and the media fields every
 * detail event of that session repeats.
 *
 * @param mediaFields fields after {@code direction}: ani/dnis, messaging addresses or callback details
 */
record Leg(String participantId, String sessionId, String mediaType, String provider, JsonObject mediaFields) {

  Leg {
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(mediaFields, "mediaFields");
  }

  static Leg voice(Rng rng, String ani, String dnis) {
    return new Leg(rng.uuid(), rng.uuid(), "VOICE", "Edge", new JsonObject().put("ani", ani).put("dnis", dnis));
  }

  static Leg message(Rng rng, String addressFrom, String addressTo) {
    return new Leg(rng.uuid(), rng.uuid(), "MESSAGE", "PureCloud Messaging", new JsonObject()
        .put("messageType", "WEBMESSAGING").put("addressFrom", addressFrom).put("addressTo", addressTo));
  }

  static Leg callback(Rng rng, String userName, String number, long scheduledTime) {
    return new Leg(rng.uuid(), rng.uuid(), "CALLBACK", "PureCloud Callback", new JsonObject()
        .put("callbackUserName", userName).put("callbackNumbers", new JsonArray().add(number))
        .put("callbackScheduledTime", scheduledTime));
  }

  /** The fields a session's detail events start with, in the samples' order. */
  JsonObject body(String conversationId, long eventTime) {
    return new JsonObject().put("eventTime", eventTime).put("conversationId", conversationId)
        .put("participantId", participantId).put("sessionId", sessionId).put("mediaType", mediaType)
        .put("provider", provider).put("direction", "INBOUND").mergeIn(mediaFields.copy());
  }
}
