package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.GenesysConfig;
import io.switchboard.genesys.RequestBudget;
import io.switchboard.genesys.TokenState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Objects;

/**
 * The node's one owner of Genesys access: it holds the OAuth client-credentials token and the REST request budget,
 * and hands out permits ({@link Addresses#genesysAccess}). A permit carries the token to use and is given only when
 * the budget allows a request now; requests wait in order otherwise. One refresh at a time: every permit asked for
 * while a token is being fetched waits for that fetch. A token is renewed {@code refreshMarginSeconds} before it
 * expires (half-way for short-lived ones), on a timer, so requests rarely wait for one. No locks: everything here
 * runs on this verticle's event loop, and its users ask over the bus ({@code io.switchboard.genesys.GenesysApi}).
 */
public final class GenesysAccessVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GenesysAccessVerticle.class);
  /**
   * Genesys counts a minute from when requests arrive; a permit is given a little before. A second of slack keeps
   * the count Genesys sees within the limit (without it, a test measured limit + 1 in some 60 s windows).
   */
  private static final long WINDOW_MILLIS = 61_000;
  private static final long MAX_FETCH_BACKOFF_MILLIS = 30_000;

  private final GenesysConfig config;
  private final String node;
  private final ArrayDeque<Promise<String>> waiting = new ArrayDeque<>();
  private TokenState token;
  private RequestBudget budget;
  private WebClient client;
  private Future<String> fetching;
  private long fetchBackoff = 500;
  private long grantTimer = -1;
  private long renewTimer = -1;
  private String lastError;
  private long tokensFetched;
  private long throttled;

  public GenesysAccessVerticle(GenesysConfig config, String node) {
    this.config = Objects.requireNonNull(config, "config");
    this.node = Objects.requireNonNull(node, "node");
  }

  @Override
  public Future<?> start() {
    token = new TokenState(config.refreshMarginSeconds() * 1000);
    budget = new RequestBudget(config.requestsPerMinute(), WINDOW_MILLIS);
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) config.timeoutMs())
        .setIdleTimeout(60).setUserAgent("switchboard"));
    MessageConsumer<JsonObject> requests = vertx.eventBus().localConsumer(Addresses.genesysAccess(node), this::handle);
    return requests.completion();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(grantTimer);
    vertx.cancelTimer(renewTimer);
    client.close();
    return Future.succeededFuture();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject body = msg.body();
    switch (body.getString("action", "")) {
      case "permit" -> {
        Promise<String> permit = Promise.promise();
        waiting.addLast(permit);
        permit.future().onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(new JsonObject().put("token", ar.result()));
          } else {
            msg.fail(503, String.valueOf(ar.cause().getMessage()));
          }
        });
        grant();
      }
      case "refused" -> {
        // The API answered 401: the token was revoked or expired early. Forget it; the next permit fetches anew.
        token.invalidate(body.getString("token"));
        msg.reply(new JsonObject());
      }
      case "throttled" -> {
        throttled++;
        budget.pause(System.currentTimeMillis(), body.getLong("retryAfterMs", 1_000L));
        msg.reply(new JsonObject());
      }
      case "status" -> msg.reply(status());
      default -> msg.fail(400, "unknown action " + body.getString("action"));
    }
  }

  /** Gives permits in order while the budget allows and a token is at hand; else waits for whichever is missing. */
  private void grant() {
    if (waiting.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    String current = token.usable(now);
    if (current == null) {
      fetch();
      return;
    }
    while (!waiting.isEmpty()) {
      long delay = budget.delayFor(now);
      if (delay > 0) {
        if (grantTimer < 0) {
          grantTimer = vertx.setTimer(delay, id -> {
            grantTimer = -1;
            grant();
          });
        }
        return;
      }
      budget.take(now);
      waiting.pollFirst().complete(current);
    }
  }

  /** One token request at a time; on failure the waiting permits fail (their callers retry) and fetching backs off. */
  private void fetch() {
    if (fetching != null) {
      return;
    }
    String basic = Base64.getEncoder().encodeToString((config.clientId() + ":" + config.clientSecret())
        .getBytes(StandardCharsets.UTF_8));
    String url = config.hosts().loginBase() + "/oauth/token";
    fetching = client.postAbs(url).timeout(config.timeoutMs())
        .putHeader("Authorization", "Basic " + basic)
        .putHeader("Content-Type", "application/x-www-form-urlencoded")
        .sendBuffer(Buffer.buffer("grant_type=client_credentials"))
        .compose(this::accepted);
    fetching.onComplete(ar -> {
      fetching = null;
      if (ar.succeeded()) {
        fetchBackoff = 500;
        grant();
        return;
      }
      lastError = ar.cause().getMessage();
      LOG.warn("genesys: no access token from [{}]: {}", url, lastError);
      while (!waiting.isEmpty()) {
        waiting.pollFirst().fail("no Genesys access token: " + lastError);
      }
      // Callers retry; the next fetch may start only after the backoff, so a wrong secret is not hammered.
      long wait = fetchBackoff;
      fetchBackoff = Math.min(MAX_FETCH_BACKOFF_MILLIS, fetchBackoff * 2);
      Future<String> pause = Future.future(p -> vertx.setTimer(wait, id -> p.fail("backing off")));
      fetching = pause;
      pause.onComplete(x -> {
        fetching = null;
        grant();
      });
    });
  }

  private Future<String> accepted(HttpResponse<Buffer> response) {
    if (response.statusCode() != 200) {
      JsonObject error = jsonOrNull(response.body());
      String why = error == null ? "status " + response.statusCode()
          : error.getString("error", "") + ": " + error.getString("error_description",
              error.getString("description", ""));
      return Future.failedFuture("token endpoint answered " + response.statusCode() + " (" + why + ")");
    }
    JsonObject body = jsonOrNull(response.body());
    if (body == null || body.getString("access_token") == null) {
      return Future.failedFuture("token endpoint answered 200 without an access_token");
    }
    long now = System.currentTimeMillis();
    long expiresIn = body.getLong("expires_in", 86_399L);
    token.accept(body.getString("access_token"), expiresIn, now);
    tokensFetched++;
    lastError = null;
    LOG.info("genesys: access token fetched, expires in {} s, renewed at {}", expiresIn,
        Instant.ofEpochMilli(token.renewAt()));
    vertx.cancelTimer(renewTimer);
    renewTimer = vertx.setTimer(Math.max(1, token.renewAt() - now), id -> fetch());
    return Future.succeededFuture(body.getString("access_token"));
  }

  private JsonObject status() {
    long now = System.currentTimeMillis();
    return new JsonObject().put("api", config.hosts().apiBase().toString())
        .put("token", token.usable(now) != null ? "valid" : fetching != null ? "fetching" : "none")
        .put("tokenExpiresAt", token.expiresAt() == 0 ? null : Instant.ofEpochMilli(token.expiresAt()).toString())
        .put("tokensFetched", tokensFetched)
        .put("requestsInWindow", budget.used(now)).put("requestsPerMinute", budget.limit())
        .put("waiting", waiting.size()).put("throttled", throttled).put("lastError", lastError);
  }

  private static JsonObject jsonOrNull(Buffer body) {
    try {
      return body == null ? null : body.toJsonObject();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
