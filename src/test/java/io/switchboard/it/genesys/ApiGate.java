package io.switchboard.it.genesys;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * What every {@code /api/v2/...} request goes through before its endpoint: a correlation id
 * ({@code ININ-Correlation-Id}), the request log, any injected delay, bearer-token authentication (401
 * {@code bad.credentials} for a missing, unknown, expired or revoked token), the per-token rate budget with the
 * {@code inin-ratelimit-count/-allowed/-reset} headers on every answer, injected faults, and finally the 429 with
 * {@code Retry-After} when the budget is spent.
 *
 * <p>The 401 body codes and messages are Genesys-style but <b>not verified</b>. Requests without a valid token
 * count against no budget; they still carry the rate headers (count 0) so that "every API response" has them.
 */
final class ApiGate implements Handler<RoutingContext> {

  /** Routing-context key of the authenticated {@link TokenStore.Token}. */
  static final String TOKEN = "genesys.token";

  private final Vertx vertx;
  private final TokenStore tokens;
  private final RateLimiter rates;
  private final FaultPlan faults;
  private final RequestLog log;
  private final LongSupplier clock;

  ApiGate(Vertx vertx, TokenStore tokens, RateLimiter rates, FaultPlan faults, RequestLog log, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx);
    this.tokens = Objects.requireNonNull(tokens);
    this.rates = Objects.requireNonNull(rates);
    this.faults = Objects.requireNonNull(faults);
    this.log = Objects.requireNonNull(log);
    this.clock = Objects.requireNonNull(clock);
  }

  @Override
  public void handle(RoutingContext ctx) {
    long at = clock.getAsLong();
    String path = ctx.request().path();
    String bearer = bearer(ctx.request().getHeader("Authorization"));
    String clientId = tokens.find(bearer).map(TokenStore.Token::clientId).orElse(null);
    String correlationId = UUID.randomUUID().toString();
    ctx.put(Replies.CORRELATION_ID, correlationId);
    ctx.response().putHeader(Replies.CORRELATION_HEADER, correlationId);
    ctx.addEndHandler(ar -> log.add(new RequestLog.Entry(at, clock.getAsLong(), ctx.request().method().name(), path,
        bearer, clientId, ar.succeeded() ? ctx.response().getStatusCode() : 0)));
    long delay = faults.delayFor(path);
    if (delay > 0) {
      vertx.setTimer(delay, id -> admit(ctx, path, bearer));
    } else {
      admit(ctx, path, bearer);
    }
  }

  private void admit(RoutingContext ctx, String path, String bearer) {
    Optional<TokenStore.Token> token = tokens.valid(bearer);
    if (token.isEmpty()) {
      rateHeaders(ctx.response(), rates.uncounted());
      Replies.error(ctx, 401, "bad.credentials", bearer == null
          ? "No authentication bearer token specified in authorization header." : "Invalid login credentials.");
      return;
    }
    RateLimiter.Verdict verdict = rates.count(bearer);
    rateHeaders(ctx.response(), verdict);
    Optional<Fault> fault = faults.take(path, clock.getAsLong());
    if (fault.isPresent()) {
      Replies.fault(ctx, fault.get());
    } else if (!verdict.allowed()) {
      Replies.fault(ctx, Fault.tooManyRequests(verdict.resetSeconds()));
    } else {
      ctx.put(TOKEN, token.get());
      ctx.next();
    }
  }

  private static void rateHeaders(HttpServerResponse response, RateLimiter.Verdict verdict) {
    response.putHeader("inin-ratelimit-count", Integer.toString(verdict.count()))
        .putHeader("inin-ratelimit-allowed", Integer.toString(verdict.limit()))
        .putHeader("inin-ratelimit-reset", Integer.toString(verdict.resetSeconds()));
  }

  static String bearer(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }
}
