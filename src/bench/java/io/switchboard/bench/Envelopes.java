package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Wraps detail events in the EventBridge envelope an API destination POSTs, as in the eb-* samples. */
final class Envelopes {

  static final String SOURCE =
      "aws.partner/genesys.com/cloud/f523d6f3-f25c-45e8-b06e-32f164fd24e5/switchboard-dev";
  private static final String TOPIC_PREFIX = "v2.detail.events.conversation.";
  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Envelopes() {
  }

  /**
   * @param publishedAt when Genesys published it: {@code detail.timestamp}, and (to the second) the envelope
   *                    {@code time}
   */
  static JsonObject wrap(String id, String conversationId, DetailEvent event, long publishedAt,
                         String correlationId) {
    Instant published = Instant.ofEpochMilli(publishedAt);
    return new JsonObject()
        .put("version", "0")
        .put("id", id)
        .put("detail-type", TOPIC_PREFIX + "{id}." + event.type())
        .put("source", SOURCE)
        .put("account", "123456789012")
        .put("time", SECONDS.format(published))
        .put("region", "us-east-1")
        .put("resources", new JsonArray())
        .put("detail", new JsonObject()
            .put("topicName", TOPIC_PREFIX + conversationId + "." + event.type())
            .put("version", "2")
            .put("eventBody", event.body())
            .put("metadata", new JsonObject().put("CorrelationId", correlationId))
            .put("timestamp", MILLIS.format(published)));
  }
}
