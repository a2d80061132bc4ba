package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * Operations endpoints served beside ingest: {@code GET /health} (the process is alive),
 * {@code GET /ready} (it takes traffic), {@code GET /metrics} (Prometheus) and
 * {@code GET /conversations/{id}} (a conversation's lifecycle, from its state shard).
 */
final class OperationsEndpoints {

  private static final DeliveryOptions QUERY = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final ShardMap shardMap;
  private final IntSupplier inFlight;
  private final java.util.function.Supplier<JsonObject> journal;
  private final int maxInFlight;
  private final List<TargetConfig> targets;
  /** Sources whose status {@code /ready} lists, by group ({@code kafka}, {@code genesys}). */
  private final java.util.Map<String, List<String>> sourceGroups;

  /**
   * @param inFlight events this ingest instance admitted and has not seen settled
   * @param journal  this instance's journal status: {@code state} (ok, replaying, failed, off), bytes, full
   */
  OperationsEndpoints(Vertx vertx, ShardMap shardMap, IntSupplier inFlight, int maxInFlight, List<TargetConfig> targets,
                      java.util.function.Supplier<JsonObject> journal,
                      java.util.Map<String, List<String>> sourceGroups) {
    this.sourceGroups = new java.util.TreeMap<>(sourceGroups);
    this.journal = Objects.requireNonNull(journal, "journal");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.inFlight = Objects.requireNonNull(inFlight, "inFlight");
    this.maxInFlight = maxInFlight;
    this.targets = List.copyOf(targets);
  }

  /**
   * @param probes the ingest listener's router: {@code /health}, {@code /ready}, {@code /metrics}
   * @param admin  where {@code /conversations/{id}} goes: the same router, or the admin listener's
   */
  void mount(Router probes, Router admin) {
    probes.get("/health").handler(ctx -> json(ctx, 200, new JsonObject().put("status", "UP")));
    probes.get("/ready").handler(this::ready);
    probes.get("/metrics").handler(PrometheusScrapingHandler.create());
    admin.get("/conversations/:id").handler(this::conversation);
  }

  /**
   * Ready unless ingest is saturated. Each target instance reports its own health: a target failing for
   * longer than its {@code failingAfterSeconds} makes the status {@code DEGRADED} (still 200: the other
   * targets work and its events are parked or retried, but an operator must see it). {@code reorder} gives the
   * lateness bound in force per source: the largest over the reorder instances, which learn separately.
   */
  private void ready(RoutingContext ctx) {
    int inFlight = this.inFlight.getAsInt();
    JsonObject journalStatus = journal.get();
    // A full journal pushes back like a full pipeline; a failed one cannot acknowledge anything until a restart.
    boolean saturated = inFlight >= maxInFlight || journalStatus.getBoolean("full", false)
        || "failed".equals(journalStatus.getString("state"));
    String node = shardMap.localNode();
    List<Future<JsonObject>> statuses = new ArrayList<>();
    for (TargetConfig target : targets) {
      for (int i = 0; i < target.instances(); i++) {
        String id = target.id();
        int instance = i;
        statuses.add(vertx.eventBus().<JsonObject>request(Addresses.dispatchStatus(node, id, instance), "status", QUERY)
            .map(m -> m.body())
            .otherwise(e -> new JsonObject().put("target", id).put("instance", instance).put("status", "UNKNOWN")
                .put("error", e.getMessage())));
      }
    }
    List<Future<JsonObject>> reorder = new ArrayList<>();
    for (int i = 0; i < shardMap.instances(ShardMap.Stage.REORDER); i++) {
      int instance = i;
      reorder.add(vertx.eventBus().<JsonObject>request(Addresses.reorderStatus(node, instance), "status", QUERY)
          .map(m -> m.body())
          .otherwise(e -> new JsonObject().put("instance", instance).put("error", e.getMessage())));
    }
    java.util.Map<String, List<Future<JsonObject>>> sources = new java.util.TreeMap<>();
    List<Future<JsonObject>> all = new ArrayList<>(statuses);
    all.addAll(reorder);
    sourceGroups.forEach((group, ids) -> {
      List<Future<JsonObject>> replies = new ArrayList<>();
      for (String source : ids) {
        replies.add(vertx.eventBus().<JsonObject>request(Addresses.ingestControl(node, source),
                new JsonObject().put("action", "status"), QUERY)
            .map(m -> m.body())
            .otherwise(e -> notHere(source, e)));
      }
      if (!replies.isEmpty()) {
        sources.put(group, replies);
        all.addAll(replies);
      }
    });
    Future<JsonObject> cluster = shardMap.clustered()
        ? vertx.eventBus().<JsonObject>request(Addresses.clusterStatus(node), "status", QUERY).map(m -> m.body())
            .otherwise(e -> new JsonObject().put("error", e.getMessage()))
        : Future.succeededFuture();
    all.add(cluster);
    Future.join(all).onComplete(ar -> {
      JsonArray targetStatus = new JsonArray();
      boolean degraded = false;
      for (Future<JsonObject> f : statuses) {
        JsonObject status = f.result();
        targetStatus.add(status);
        degraded |= !"UP".equals(status.getString("status")) && !"RETRYING".equals(status.getString("status"));
      }
      JsonObject body = new JsonObject().put("status", saturated ? "SATURATED" : degraded ? "DEGRADED" : "UP")
          .put("inFlight", inFlight).put("maxInFlight", maxInFlight).put("journal", journalStatus)
          .put("targets", targetStatus)
          .put("reorder", reorderStatus(reorder));
      if (cluster.result() != null) {
        body.put("cluster", cluster.result());
      }
      boolean failing = false;
      for (var group : sources.entrySet()) {
        JsonArray list = new JsonArray();
        for (Future<JsonObject> f : group.getValue()) {
          list.add(f.result());
          failing |= "failing".equals(f.result().getString("state"));
        }
        body.put(group.getKey(), list);
      }
      // A source that cannot consume (credentials, ACLs, rejected topics) is an operator's problem, as a failing
      // target is.
      if (failing && "UP".equals(body.getString("status"))) {
        body.put("status", "DEGRADED");
      }
      json(ctx, saturated ? 503 : 200, body);
    });
  }

  /**
   * A source that did not answer. Clustered, a Genesys source runs on one member only: elsewhere it has no handler
   * here, which is not a fault, and the member that runs it is named.
   */
  private JsonObject notHere(String source, Throwable e) {
    if (shardMap.clustered() && e instanceof ReplyException re
        && re.failureType() == io.vertx.core.eventbus.ReplyFailure.NO_HANDLERS) {
      return new JsonObject().put("source", source).put("state", "elsewhere")
          .put("runsOn", shardMap.view().ownerOf(source));
    }
    return new JsonObject().put("source", source).put("state", "unknown").put("error", e.getMessage());
  }

  /** {@code {"release", "lateness", "latenessMs": {source: max over instances}, "instances": [...]}}. */
  private static JsonObject reorderStatus(List<Future<JsonObject>> replies) {
    JsonObject latenessMs = new JsonObject();
    JsonArray instances = new JsonArray();
    JsonObject out = new JsonObject();
    for (Future<JsonObject> reply : replies) {
      JsonObject status = reply.result();
      instances.add(status);
      if (status.containsKey("release")) {
        out.put("release", status.getString("release")).put("lateness", status.getString("lateness"));
      }
      JsonObject bounds = status.getJsonObject("latenessMs", new JsonObject());
      for (String source : bounds.fieldNames()) {
        latenessMs.put(source, Math.max(latenessMs.getLong(source, 0L), bounds.getLong(source)));
      }
    }
    return out.put("latenessMs", latenessMs).put("instances", instances);
  }

  private void conversation(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    int shard = shardMap.shardOf(id);
    // Clustered, the node the view names owns the conversation: any node answers from the owner's state.
    String owner = shardMap.ownerNode(shard);
    if (owner == null) {
      json(ctx, 503, new JsonObject().put("error", "no node owns shard " + shard + " yet (the cluster is forming)"));
      return;
    }
    String address = Addresses.stateQuery(owner, shard);
    vertx.eventBus().<JsonObject>request(address, id, QUERY).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonObject body = ar.result().body();
        if (shardMap.clustered()) {
          body.put("ownerNode", owner);
        }
        json(ctx, 200, body);
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
