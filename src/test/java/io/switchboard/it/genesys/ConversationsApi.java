package io.switchboard.it.genesys;

import io.vertx.ext.web.RoutingContext;

import java.util.Objects;

/**
 * {@code GET /api/v2/conversations/{conversationId}}: the REST Conversation (section 5; sample
 * api-get-conversation-voice-ended.json), or 404 {@code not.found} for an unknown id (the 404 message is <b>not
 * verified</b>). Permissions are not modelled: every valid token may read every conversation.
 */
final class ConversationsApi {

  private final ConversationStore store;

  ConversationsApi(ConversationStore store) {
    this.store = Objects.requireNonNull(store);
  }

  void get(RoutingContext ctx) {
    String id = ctx.pathParam("conversationId");
    store.get(id).ifPresentOrElse(c -> Replies.json(ctx, 200, c.rest()),
        () -> Replies.error(ctx, 404, "not.found", "The conversation " + id + " was not found."));
  }
}
