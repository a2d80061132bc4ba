package io.switchboard.it.genesys;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * {@code POST /oauth/token}, client credentials only, as the facts file describes it: {@code Authorization: Basic
 * base64(id:secret)}, {@code Content-Type: application/x-www-form-urlencoded}, body
 * {@code grant_type=client_credentials}; answers {@code {"access_token","token_type":"bearer","expires_in"}}.
 *
 * <p>Errors use the OAuth shape {@code {"error","description","error_description"}}. The facts only show
 * "400 unauthorized_client"; which status Genesys gives for which mistake is <b>not verified</b>, so the
 * emulator follows RFC 6749 §5.2: unknown client or wrong secret (or no/garbled Basic header) → 401
 * {@code invalid_client}; a client not allowed to use this grant ({@link GenesysEmulator#disableClient}) → 400
 * {@code unauthorized_client}; another grant type → 400 {@code unsupported_grant_type}; a wrong content type or
 * missing grant_type → 400 {@code invalid_request}. A client should treat any 400/401 here as "credentials
 * refused". The login service's own rate limits are unknown and not emulated; injected faults whose prefix
 * matches {@code /oauth/token} apply (a 401 then uses the OAuth shape).
 */
final class OAuthEndpoint implements Handler<RoutingContext> {

  static final String PATH = "/oauth/token";

  private final Vertx vertx;
  private final TokenStore tokens;
  private final FaultPlan faults;
  private final RequestLog log;
  private final LongSupplier clock;

  OAuthEndpoint(Vertx vertx, TokenStore tokens, FaultPlan faults, RequestLog log, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx);
    this.tokens = Objects.requireNonNull(tokens);
    this.faults = Objects.requireNonNull(faults);
    this.log = Objects.requireNonNull(log);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long at = clock.getAsLong();
    String[] credentials = basic(ctx.request().getHeader("Authorization"));
    String correlationId = UUID.randomUUID().toString();
    ctx.put(Replies.CORRELATION_ID, correlationId);
    ctx.response().putHeader(Replies.CORRELATION_HEADER, correlationId).putHeader("Cache-Control", "no-store");
    ctx.addEndHandler(ar -> log.add(new RequestLog.Entry(at, clock.getAsLong(), ctx.request().method().name(), PATH,
        null, credentials == null ? null : credentials[0], ar.succeeded() ? ctx.response().getStatusCode() : 0)));
    long delay = faults.delayFor(PATH);
    if (delay > 0) {
      vertx.setTimer(delay, id -> answer(ctx, credentials));
    } else {
      answer(ctx, credentials);
    }
  }

  private void answer(RoutingContext ctx, String[] credentials) {
    Optional<Fault> fault = faults.take(PATH, clock.getAsLong());
    if (fault.isPresent()) {
      if (fault.get().status() == 401) {
        Replies.json(ctx, 401, ErrorBodies.oauth("invalid_client", "client authentication failed"));
      } else {
        Replies.fault(ctx, fault.get());
      }
      return;
    }
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
      Replies.json(ctx, 400, ErrorBodies.oauth("invalid_request", "Content-Type must be application/x-www-form-urlencoded"));
      return;
    }
    String grantType = form(ctx.body().asString()).get("grant_type");
    if (grantType == null) {
      Replies.json(ctx, 400, ErrorBodies.oauth("invalid_request", "grant_type is required"));
    } else if (!grantType.equals("client_credentials")) {
      Replies.json(ctx, 400, ErrorBodies.oauth("unsupported_grant_type", "unsupported grant type: " + grantType));
    } else if (credentials == null) {
      Replies.json(ctx, 401, ErrorBodies.oauth("invalid_client", "client authentication failed"));
    } else {
      Optional<TokenStore.Refusal> refusal = tokens.check(credentials[0], credentials[1]);
      if (refusal.isEmpty()) {
        TokenStore.Token token = tokens.issue(credentials[0]);
        Replies.json(ctx, 200, new JsonObject().put("access_token", token.value()).put("token_type", "bearer")
            .put("expires_in", tokens.lifetimeSeconds()));
      } else if (refusal.get() == TokenStore.Refusal.UNAUTHORIZED_CLIENT) {
        Replies.json(ctx, 400, ErrorBodies.oauth("unauthorized_client", "client is not authorized for this grant type"));
      } else {
        Replies.json(ctx, 401, ErrorBodies.oauth("invalid_client", "client authentication failed"));
      }
    }
  }

  /** {@code [id, secret]} from a Basic header, or null when absent or malformed. */
  static String[] basic(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    try {
      String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException notBase64) {
      return null;
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> fields = new HashMap<>();
    if (body == null || body.isEmpty()) {
      return fields;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      fields.putIfAbsent(name, value);
    }
    return fields;
  }
}
