package io.switchboard.it.genesys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A local Genesys Cloud for tests: OAuth client credentials, the Notifications API and its WebSockets, the async
 * analytics conversation-details jobs, {@code GET /api/v2/conversations/{id}}, per-token rate limits, a conversation
 * model that emits what Genesys would, failure injection, and measurements. Follows /work/shared/genesys-facts.md;
 * where the facts are silent or unverified the choice is stated on the class that makes it.
 *
 * <p><b>One port for everything</b>: {@link #baseUrl()} ({@code http://127.0.0.1:PORT}) serves the API
 * ({@code /api/v2/...}), the login service's {@code /oauth/token} (Genesys has it on {@code login.<env>}; point both
 * the API and the login base URL of the client under test here) and the streaming WebSockets, whose
 * {@code connectUri} is {@code ws://127.0.0.1:PORT/channels/<id>}. The {@code /_emulator/...} paths are the control
 * endpoints of {@link ControlApi}.
 *
 * <p>Threading: all state belongs to the emulator's own Vert.x context. Every method that changes something hops
 * there and returns a future that completes once the change is in force (compose on it before the request it must
 * affect). {@link #requests()} and {@link #sockets()} can be read from any thread at any time.
 *
 * <pre>{@code
 * GenesysEmulator.start(vertx, EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build())
 *     .compose(emulator -> ...client under test configured with emulator.baseUrl(), emulator.clientId(),
 *         emulator.clientSecret()...)
 * }</pre>
 */
public final class GenesysEmulator {

  private final Vertx vertx;
  private final EmulatorOptions options;
  private final String deploymentId;
  private final EmulatorCore core;
  private final OnContext onContext;
  private final Conversations conversations;
  private final int port;

  private GenesysEmulator(Vertx vertx, EmulatorOptions options, String deploymentId, EmulatorVerticle verticle) {
    this.vertx = vertx;
    this.options = options;
    this.deploymentId = deploymentId;
    this.core = verticle.core();
    this.onContext = new OnContext(verticle.context());
    this.conversations = new Conversations(onContext, core);
    this.port = verticle.port();
  }

  /** Starts with the defaults (Genesys' documented limits, a random port). */
  public static Future<GenesysEmulator> start(Vertx vertx) {
    return start(vertx, EmulatorOptions.defaults());
  }

  public static Future<GenesysEmulator> start(Vertx vertx, EmulatorOptions options) {
    Objects.requireNonNull(vertx);
    Objects.requireNonNull(options);
    EmulatorVerticle verticle = new EmulatorVerticle(options);
    return vertx.deployVerticle(verticle).map(id -> new GenesysEmulator(vertx, options, id, verticle));
  }

  /** Closes every socket and the server. */
  public Future<Void> close() {
    return vertx.undeploy(deploymentId);
  }

  /** {@code http://127.0.0.1:PORT}: API, login ({@code /oauth/token}) and streaming on one port. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public EmulatorOptions options() {
    return options;
  }

  /** The default OAuth client's id. */
  public String clientId() {
    return EmulatorOptions.DEFAULT_CLIENT_ID;
  }

  /** The default OAuth client's secret (if the options did not replace it). */
  public String clientSecret() {
    return options.clients().get(EmulatorOptions.DEFAULT_CLIENT_ID);
  }

  // ---- data ----

  public Conversations conversations() {
    return conversations;
  }

  /** Publishes a raw notification on a topic to every socket whose channel subscribes to it; yields how many. */
  public Future<Integer> publish(String topic, JsonObject eventBody) {
    return onContext.call(() -> core.publish(topic, eventBody.copy()));
  }

  /** A token for a client without going through {@code /oauth/token} (not in the request log). */
  public Future<String> issueToken(String clientId) {
    return onContext.call(() -> core.issueToken(clientId));
  }

  public Future<List<String>> channelIds() {
    return onContext.call(core::channelIds);
  }

  // ---- tokens and credentials ----

  /** Ends every token now: their API calls get 401 until the client fetches a new one. */
  public Future<Integer> expireAllTokens() {
    return onContext.call(core.tokens::expireAll);
  }

  /** Revokes one token: its channels' sockets get {@code v2.system.token_revoked}, then its API calls get 401. */
  public Future<Boolean> revokeToken(String token) {
    return onContext.call(() -> core.revokeToken(token));
  }

  /** Rotates a client's secret; {@code /oauth/token} refuses the old one with 401 invalid_client. */
  public Future<Void> changeClientSecret(String clientId, String secret) {
    return onContext.run(() -> core.tokens.changeSecret(clientId, secret));
  }

  /** While disabled, {@code /oauth/token} answers the client 400 unauthorized_client; issued tokens keep working. */
  public Future<Void> disableClient(String clientId, boolean disabled) {
    return onContext.run(() -> core.tokens.disable(clientId, disabled));
  }

  // ---- API faults ----

  /** The next {@code count} requests under {@code /api/v2/} that carry a valid token get {@code fault}. */
  public Future<Void> failNext(int count, Fault fault) {
    return failNext(count, "/api/v2/", fault);
  }

  /**
   * The next {@code count} requests whose path starts with {@code pathPrefix} get {@code fault} (use
   * {@code /oauth/token} to fail logins). API requests are checked after authentication, so a bad token still gets
   * its real 401.
   */
  public Future<Void> failNext(int count, String pathPrefix, Fault fault) {
    return onContext.run(() -> core.faults.failNext(count, pathPrefix, fault));
  }

  /** Every API request gets 429 with {@code Retry-After: retryAfterSeconds} for {@code duration}. */
  public Future<Void> tooManyRequestsStorm(Duration duration, int retryAfterSeconds) {
    return tooManyRequestsStorm("/api/v2/", duration, retryAfterSeconds);
  }

  public Future<Void> tooManyRequestsStorm(String pathPrefix, Duration duration, int retryAfterSeconds) {
    return onContext.run(() -> core.faults.storm(pathPrefix, Fault.tooManyRequests(retryAfterSeconds),
        core.clock.getAsLong() + duration.toMillis()));
  }

  /** Answers under {@code pathPrefix} come {@code delay} late (slow API); {@link Duration#ZERO} removes it. */
  public Future<Void> delay(String pathPrefix, Duration delay) {
    return onContext.run(() -> core.faults.delay(pathPrefix, delay.toMillis()));
  }

  public Future<Void> clearFaults() {
    return onContext.run(core.faults::clear);
  }

  /** The next analytics job submitted ends FAILED with this {@code errorMessage}. */
  public Future<Void> failNextJob(String errorMessage) {
    return onContext.run(() -> core.jobs.failNext(errorMessage));
  }

  // ---- streaming faults ----

  /** The channel's current socket gets no more heartbeats (a new socket on the channel gets them again). */
  public Future<Integer> stopHeartbeats(String channelId) {
    return onContext.call(() -> core.hub.stopHeartbeats(Objects.requireNonNull(channelId)));
  }

  /** No current socket of any channel gets heartbeats any more. */
  public Future<Integer> stopHeartbeats() {
    return onContext.call(() -> core.hub.stopHeartbeats(null));
  }

  /** Drops the channel's socket abruptly: TCP closed with no close frame (the client sees 1006). */
  public Future<Integer> dropSockets(String channelId) {
    return onContext.call(() -> core.hub.drop(Objects.requireNonNull(channelId)));
  }

  public Future<Integer> dropSockets() {
    return onContext.call(() -> core.hub.drop(null));
  }

  /** Sends {@code v2.system.socket_closing} on the channel's socket and closes it {@code socketClosingDelay} later. */
  public Future<Integer> sendSocketClosing(String channelId) {
    return onContext.call(() -> core.hub.socketClosing(Objects.requireNonNull(channelId)));
  }

  public Future<Integer> sendSocketClosing() {
    return onContext.call(() -> core.hub.socketClosing(null));
  }

  /** Sends {@code v2.system.no_longer_subscribed} and drops the channel's subscriptions; false for an unknown channel. */
  public Future<Boolean> sendNoLongerSubscribed(String channelId) {
    return onContext.call(() -> core.noLongerSubscribed(channelId, null));
  }

  // ---- measurements ----

  /** Every answered login and API request. */
  public RequestLog requests() {
    return core.requests;
  }

  /** Socket opens/closes per channel and every message sent. */
  public SocketLog sockets() {
    return core.sockets;
  }
}
