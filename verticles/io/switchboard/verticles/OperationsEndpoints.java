package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.bus.Shards;
import io.switchboard.ingest.SettlementTracker;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.Objects;

/**
 * Operations endpoints served beside ingest: {@code GET /health} (the process is alive),
 * {@code GET /ready} (it takes traffic), {@code GET /metrics} (Prometheus) and
 * {@code GET /conversations/{id}} (a conversation's lifecycle, from its state shard).
 */
final class OperationsEndpoints {

  private static final DeliveryOptions QUERY = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final int shards;
  private final SettlementTracker tracker;
  private final int maxInFlight;

  OperationsEndpoints(Vertx vertx, int shards, SettlementTracker tracker, int maxInFlight) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.shards = shards;
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.maxInFlight = maxInFlight;
  }

  void mount(Router router) {
    router.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create());
    router.get("/conversations/:id").handler(this::conversation);
  }

  private void ready(RoutingContext ctx) {
    int inFlight = tracker.inFlight();
    boolean saturated = inFlight >= maxInFlight;
    JsonObject body = new JsonObject().put("status", saturated ? "SATURATED" : "UP")
        .put("inFlight", inFlight).put("maxInFlight", maxInFlight);
    json(ctx, saturated ? 503 : 200, body);
  }

  private void conversation(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    String address = Addresses.stateQuery(Shards.of(id, shards));
    vertx.eventBus().<JsonObject>request(address, id, QUERY).onComplete(ar -> {
      if (ar.succeeded()) {
        json(ctx, 200, ar.result().body());
      } else if (ar.cause() instanceof ReplyException re && re.failureCode() == FailureCodes.NOT_FOUND) {
        json(ctx, 404, new JsonObject().put("error", "no conversation " + id + " is known (never seen, or evicted)"));
      } else {
        json(ctx, 503, new JsonObject().put("error", "state stage did not answer: " + ar.cause().getMessage()));
      }
    });
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
