package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A conversation given as ready-made JSON (for example the shared samples): the REST Conversation and the analytics
 * record, returned exactly as given. Start and end come from the analytics {@code conversationStart/End}, else the
 * REST {@code startTime/endTime}.
 */
record RawConversation(JsonObject restBody, JsonObject analyticsBody) implements StoredConversation {

  RawConversation {
    Objects.requireNonNull(restBody, "restBody");
    Objects.requireNonNull(analyticsBody, "analyticsBody");
    String restId = restBody.getString("id");
    String analyticsId = analyticsBody.getString("conversationId");
    if (restId == null || !restId.equals(analyticsId)) {
      throw new IllegalArgumentException("the REST id and the analytics conversationId must be the same, not ["
          + restId + "] and [" + analyticsId + "]");
    }
  }

  @Override
  public String id() {
    return restBody.getString("id");
  }

  @Override
  public long startMillis() {
    return time("conversationStart", "startTime");
  }

  @Override
  public long endMillis() {
    return time("conversationEnd", "endTime");
  }

  private long time(String analyticsField, String restField) {
    String text = analyticsBody.getString(analyticsField, restBody.getString(restField));
    return text == null ? -1 : Iso.parse(text);
  }

  @Override
  public JsonObject rest() {
    return restBody.copy();
  }

  @Override
  public JsonObject analytics() {
    return analyticsBody.copy();
  }
}
