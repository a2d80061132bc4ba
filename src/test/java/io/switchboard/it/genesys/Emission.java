package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/** A notification a conversation step produces: the concrete topic and its event body. */
record Emission(String topic, JsonObject body) {
  Emission {
    Objects.requireNonNull(topic);
    Objects.requireNonNull(body);
  }
}
