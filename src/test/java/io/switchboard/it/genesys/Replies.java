package io.switchboard.it.genesys;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes the emulator's answers: JSON bodies, ErrorBodies with the request's correlation id, injected faults. */
final class Replies {

  static final String CORRELATION_ID = "genesys.correlationId";
  static final String CORRELATION_HEADER = "ININ-Correlation-Id";

  private Replies() {
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.toString());
  }

  static void empty(RoutingContext ctx, int status) {
    ctx.response().setStatusCode(status).end();
  }

  static void error(RoutingContext ctx, int status, String code, String message) {
    json(ctx, status, ErrorBodies.error(status, code, message, ctx.get(CORRELATION_ID)));
  }

  static void fault(RoutingContext ctx, Fault fault) {
    HttpServerResponse response = ctx.response();
    if (fault.status() == 429) {
      response.putHeader("Retry-After", Integer.toString(fault.retryAfterSeconds()));
    }
    error(ctx, fault.status(), fault.code(), fault.message());
  }
}
