package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One notification channel: who created it (OAuth client and token), when it expires, when it was last used, whether
 * a socket is connected, and its topics. Mutable state owned by {@link ChannelRegistry} on the emulator's context.
 */
final class Channel {

  final String id;
  final String clientId;
  final String token;
  final String connectUri;
  final Set<String> topics = new LinkedHashSet<>();
  long expiresAt;
  long lastUsedAt;
  boolean connected;

  Channel(String id, String clientId, String token, String connectUri, long now, long expiresAt) {
    this.id = Objects.requireNonNull(id);
    this.clientId = Objects.requireNonNull(clientId);
    this.token = Objects.requireNonNull(token);
    this.connectUri = Objects.requireNonNull(connectUri);
    this.lastUsedAt = now;
    this.expiresAt = expiresAt;
  }

  /** The REST {@code Channel}: {@code {connectUri, id, expires}}. */
  JsonObject toJson() {
    return new JsonObject().put("connectUri", connectUri).put("id", id).put("expires", Iso.format(expiresAt));
  }

  String subscriptionsUri() {
    return "/api/v2/notifications/channels/" + id + "/subscriptions";
  }
}
