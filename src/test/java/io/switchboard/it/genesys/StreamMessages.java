package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The JSON written on a notification WebSocket. Topic messages are {@code {"topicName","version":"2","eventBody",
 * "metadata":{"CorrelationId"}}} (SDK-java NotificationEvent; a fresh random CorrelationId per published message —
 * whether Genesys' is unique per event is not verified). Heartbeats are
 * {@code {"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}} exactly as the sample.
 *
 * <p><b>Not verified</b>: the answer to a client's {@code {"message":"ping"}} (here a channel.metadata message with
 * {@code "pong"}); the {@code v2.system.socket_closing} body (the sample's guess, {@code {"message": ...}}); and the
 * topic names and bodies of {@code no_longer_subscribed} / {@code token_revoked}, built here as
 * {@code v2.system.<type>.<channelId>} with the SystemMessage fields the facts list.
 */
final class StreamMessages {

  static final String METADATA = "channel.metadata";
  static final String SOCKET_CLOSING = "v2.system.socket_closing";

  private StreamMessages() {
  }

  static JsonObject notification(String topic, JsonObject eventBody) {
    return new JsonObject().put("topicName", topic).put("version", "2").put("eventBody", eventBody)
        .put("metadata", new JsonObject().put("CorrelationId", UUID.randomUUID().toString()));
  }

  static JsonObject heartbeat() {
    return metadata("WebSocket Heartbeat");
  }

  static JsonObject pong() {
    return metadata("pong");
  }

  private static JsonObject metadata(String message) {
    return new JsonObject().put("topicName", METADATA).put("eventBody", new JsonObject().put("message", message));
  }

  static JsonObject socketClosing(long delayMillis) {
    String in = delayMillis == 60_000 ? "1 minute" : delayMillis % 1000 == 0 ? delayMillis / 1000 + " seconds"
        : delayMillis + " milliseconds";
    return notification(SOCKET_CLOSING, new JsonObject().put("message", "Socket will close in " + in));
  }

  /**
   * A SystemMessage ({@code systemTopicType} no_longer_subscribed | subscription_changed | token_revoked) for one
   * channel; a client-credentials token has no user, so {@code userId} is absent.
   */
  static JsonObject system(String systemTopicType, Channel channel, String organizationId, String reason,
      String message) {
    JsonObject notification = notification("v2.system." + systemTopicType + "." + channel.id, new JsonObject());
    JsonObject body = notification.getJsonObject("eventBody");
    body.put("channelId", channel.id).put("systemTopicType", systemTopicType)
        .put("correlationId", notification.getJsonObject("metadata").getString("CorrelationId"))
        .put("organizationId", organizationId).put("oauthClientId", channel.clientId)
        .put("oauthClientOrgId", organizationId).put("reason", reason).put("message", message);
    return notification;
  }
}
