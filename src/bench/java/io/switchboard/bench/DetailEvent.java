package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One Genesys detail event before it is wrapped in an EventBridge envelope.
 *
 * @param type topic suffix, e.g. {@code acd.end}
 */
record DetailEvent(String type, long eventTime, JsonObject body) {

  DetailEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(body, "body");
  }

  static DetailEvent of(String type, JsonObject body) {
    return new DetailEvent(type, body.getLong("eventTime"), body);
  }
}
