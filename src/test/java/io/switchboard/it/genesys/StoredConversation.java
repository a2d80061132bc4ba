package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

/** A conversation the emulator can show: as a REST Conversation and as an analytics details record. */
interface StoredConversation {

  String id();

  /** Epoch ms of the conversation's start; negative while it has not started. */
  long startMillis();

  /** Epoch ms of its end; negative while it is active. */
  long endMillis();

  JsonObject rest();

  JsonObject analytics();

  /** "Conversations with activity in the interval" (async job semantics): started before its end, not ended before its start. */
  default boolean activeIn(long from, long to) {
    return startMillis() >= 0 && startMillis() < to && (endMillis() < 0 || endMillis() > from);
  }
}
