package io.switchboard.it.genesys;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The emulator's parts and the failure-injection operations on them, shared by the Java API
 * ({@link GenesysEmulator}, which hops onto the context first) and the {@code /_emulator} control endpoints (already
 * on it). Every method here must run on the emulator's context.
 */
final class EmulatorCore {

  final EmulatorOptions options;
  final LongSupplier clock;
  final TokenStore tokens;
  final RateLimiter rates;
  final FaultPlan faults = new FaultPlan();
  final RequestLog requests;
  final SocketLog sockets;
  final ChannelRegistry channels;
  final SocketHub hub;
  final AnalyticsJobs jobs;
  final ConversationStore store = new ConversationStore();

  EmulatorCore(Vertx vertx, EmulatorOptions options, LongSupplier clock, Function<String, String> connectUri) {
    this.options = Objects.requireNonNull(options);
    this.clock = Objects.requireNonNull(clock);
    this.tokens = new TokenStore(options.clients(), options.tokenLifetime().toMillis(), clock);
    this.rates = new RateLimiter(options.rateLimit(), options.rateWindow().toMillis(), clock);
    this.requests = new RequestLog(options.maxRecorded());
    this.sockets = new SocketLog(options.maxRecorded());
    this.channels = new ChannelRegistry(options.maxChannelsPerClient(), options.maxTopicsPerChannel(),
        options.channelLifetime().toMillis(), clock, connectUri);
    this.hub = new SocketHub(vertx, channels, sockets, options, clock);
    this.jobs = new AnalyticsJobs(options.jobQueuedFor().toMillis(), options.jobPendingFor().toMillis(),
        options.jobExpiry().toMillis(), clock);
  }

  String issueToken(String clientId) {
    if (!options.clients().containsKey(clientId)) {
      throw new IllegalArgumentException("unknown client " + clientId);
    }
    return tokens.issue(clientId).value();
  }

  /**
   * Revokes a token: each socket of a channel that token created is sent {@code v2.system.token_revoked} and the
   * channel's subscriptions are dropped (so a client that ignores the message stops receiving data; heartbeats go
   * on); the token's API calls get 401 from now on. What Genesys does to the channel is <b>not verified</b>.
   */
  boolean revokeToken(String token) {
    if (!tokens.revoke(token)) {
      return false;
    }
    for (Channel channel : channels.ofToken(token)) {
      hub.sendTo(channel, StreamMessages.system("token_revoked", channel, options.organizationId(),
          "user_tokens_revoked", "The access token of this channel was revoked."));
      channels.unsubscribeAll(channel);
    }
    return true;
  }

  int revokeAllTokens() {
    int revoked = 0;
    for (TokenStore.Token token : tokens.active()) {
      revoked += revokeToken(token.value()) ? 1 : 0;
    }
    return revoked;
  }

  /**
   * Sends {@code v2.system.no_longer_subscribed} to the channel's socket and drops its subscriptions (the client must
   * subscribe again). The default reason {@code another_channel_subscribed} is one of the two the facts list.
   */
  boolean noLongerSubscribed(String channelId, String reason) {
    return channels.find(channelId).map(channel -> {
      hub.sendTo(channel, StreamMessages.system("no_longer_subscribed", channel, options.organizationId(),
          reason == null ? "another_channel_subscribed" : reason, "This channel is no longer subscribed to its topics."));
      channels.unsubscribeAll(channel);
      return true;
    }).orElse(false);
  }

  int publish(String topic, JsonObject eventBody) {
    return hub.publish(topic, eventBody);
  }

  /** Closes the sockets of channels whose lifetime ran out and forgets the channels. */
  void sweepChannels() {
    channels.removeExpired().forEach(channel -> hub.closeChannel(channel, "expired"));
  }

  List<String> channelIds() {
    return channels.all().stream().filter(c -> channels.find(c.id).isPresent()).map(c -> c.id).toList();
  }
}
