package io.switchboard.verticles;

import io.switchboard.auth.Credentials;
import io.switchboard.config.HttpIngestConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Puts the admin endpoints behind the admin key ({@code http.adminKey}): {@code /dlq*} (full payloads, replay) and
 * {@code /conversations*} (attributes, participants), {@code /console/api/*} (the console's data; its pages are
 * public), and {@code /metrics} when {@code http.metricsNeedAdmin}. {@code /health} and {@code /ready} stay open for
 * probes. Mounted before those routes; without a key it lets all through, as before.
 */
final class AdminGuard {

  private final Credentials credentials;
  private final boolean metrics;
  private final String header;

  AdminGuard(HttpIngestConfig settings) {
    this.credentials = new Credentials(settings.adminKeyHeader(), settings.adminKey(), null, null);
    this.metrics = settings.metricsNeedAdmin();
    this.header = settings.adminKeyHeader();
  }

  void mount(Router router) {
    if (!credentials.required()) {
      return;
    }
    router.route("/dlq*").order(-1).handler(this::check);
    router.route("/conversations*").order(-1).handler(this::check);
    router.route("/console/api/*").order(-1).handler(this::check);
    if (metrics) {
      mountMetrics(router);
    }
  }

  /** Guards {@code /metrics} on {@code router}: the ingest listener's, when the admin endpoints have their own. */
  void mountMetrics(Router router) {
    if (credentials.required()) {
      router.route("/metrics").order(-1).handler(this::check);
    }
  }

  private void check(RoutingContext ctx) {
    if (credentials.accepts(ctx.request()::getHeader)) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("error", "missing or wrong admin key in header " + header).encode());
  }
}
