package io.switchboard.it.genesys;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.Optional;

/**
 * The emulator's conversation data: model a voice call step by step ({@link #voice}), or store ready-made JSON (for
 * example the shared samples) with {@link #put}. What is stored here is what {@code GET /api/v2/conversations/{id}}
 * and the analytics jobs return.
 */
public final class Conversations {

  private final OnContext onContext;
  private final EmulatorCore core;

  Conversations(OnContext onContext, EmulatorCore core) {
    this.onContext = Objects.requireNonNull(onContext);
    this.core = Objects.requireNonNull(core);
  }

  /** An inbound voice call with the sample defaults for everything but the ids; nothing happens until its first step. */
  public VoiceCall voice(String conversationId, String queueId, String userId) {
    return voice(VoiceSpec.of(conversationId, queueId, userId));
  }

  public VoiceCall voice(VoiceSpec spec) {
    VoiceConversation model = new VoiceConversation(spec);
    Future<Void> registered = onContext.run(() -> core.store.put(model));
    return new VoiceCall(model, registered, step -> onContext.run(() -> step.get()
        .forEach(emission -> core.hub.publish(emission.topic(), emission.body()))));
  }

  /** Stores a conversation as given: its REST Conversation and its analytics record (same id). */
  public Future<Void> put(JsonObject restConversation, JsonObject analyticsRecord) {
    RawConversation raw = new RawConversation(restConversation.copy(), analyticsRecord.copy());
    return onContext.run(() -> core.store.put(raw));
  }

  /** What {@code GET /api/v2/conversations/{id}} would answer now. */
  public Future<Optional<JsonObject>> rest(String conversationId) {
    return onContext.call(() -> core.store.get(conversationId).map(StoredConversation::rest));
  }

  /** The analytics record a details job would return for it now. */
  public Future<Optional<JsonObject>> analytics(String conversationId) {
    return onContext.call(() -> core.store.get(conversationId).map(StoredConversation::analytics));
  }
}
