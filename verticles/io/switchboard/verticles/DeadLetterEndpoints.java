package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Shards;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.dlq.DeadLetterEntry;
import io.switchboard.dlq.DeadLetterQuery;
import io.switchboard.dlq.DeadLetterStore;
import io.switchboard.dlq.ReplayOutcome;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * {@code GET /dlq} (paged, filtered listing), {@code GET /dlq/{id}} and {@code POST /dlq/replay}: selected
 * entries go back to one target (through its filter, retry policy and idempotency key) or to the start of
 * the pipeline (past dedup, which has seen them). Replays are tracked like any admitted event: when a
 * target reports the outcome, the entry is marked in the DLQ's replay journal. File work runs on workers.
 */
final class DeadLetterEndpoints {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterEndpoints.class);
  private static final int MAX_REPLAY = 1000;
  private static final DeliveryOptions QUERY = new DeliveryOptions().setSendTimeout(5_000);

  private final Vertx vertx;
  private final DeadLetterStore store;
  private final EventNormalizer normalizer;
  private final TargetRoutes routes;
  private final Set<String> targetIds;
  private final int shards;
  private final String origin = Addresses.settle("replay-" + UUID.randomUUID());
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextSeq = 1;

  /** A replayed entry waiting for its target's report. */
  private record Pending(DeadLetterEntry entry, String target) {
  }

  DeadLetterEndpoints(Vertx vertx, DeadLetterStore store, EventNormalizer normalizer, TargetRoutes routes, int shards) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.targetIds = Set.copyOf(routes.targetIds());
    this.shards = shards;
  }

  Future<Void> mount(Router router) {
    router.get("/dlq").handler(this::list);
    router.get("/dlq/:id").handler(this::one);
    router.post("/dlq/replay").handler(BodyHandler.create(false).setBodyLimit(1024 * 1024)).handler(this::replay);
    MessageConsumer<Settlement> reports = vertx.eventBus().consumer(origin, msg -> reported(msg.body()));
    return reports.completion();
  }

  private void list(RoutingContext ctx) {
    DeadLetterQuery query;
    try {
      query = DeadLetterQuery.fromParams(ctx.queryParams());
    } catch (IllegalArgumentException e) {
      json(ctx, 400, new JsonObject().put("error", e.getMessage()));
      return;
    }
    vertx.executeBlocking(() -> store.query(query), false).onComplete(ar -> {
      if (ar.failed()) {
        json(ctx, 500, new JsonObject().put("error", "cannot read the DLQ: " + ar.cause().getMessage()));
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result().toJson());
      }
    });
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    vertx.executeBlocking(() -> store.get(id), false).onComplete(ar -> {
      if (ar.failed()) {
        json(ctx, 500, new JsonObject().put("error", "cannot read the DLQ: " + ar.cause().getMessage()));
      } else if (ar.result().isEmpty()) {
        json(ctx, 404, new JsonObject().put("error", "no dead letter " + id));
      } else {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result().get().toJson());
      }
    });
  }

  /** Body: {@code {"ids": [...], "to": "<targetId>" | "pipeline"}}. */
  private void replay(RoutingContext ctx) {
    JsonObject body;
    try {
      body = ctx.body().asJsonObject();
    } catch (DecodeException e) {
      json(ctx, 400, new JsonObject().put("error", "body must be a JSON object: " + e.getMessage()));
      return;
    }
    if (body == null || !(body.getValue("ids") instanceof JsonArray ids) || ids.isEmpty()
        || !(body.getValue("to") instanceof String to)) {
      json(ctx, 400, new JsonObject().put("error", "expected {\"ids\": [dead letter ids], \"to\": \"<targetId>\" or \"pipeline\"}"));
      return;
    }
    if (ids.size() > MAX_REPLAY) {
      json(ctx, 400, new JsonObject().put("error", "at most " + MAX_REPLAY + " ids per replay"));
      return;
    }
    if (!"pipeline".equals(to) && !targetIds.contains(to)) {
      json(ctx, 400, new JsonObject().put("error", "unknown target '" + to + "'; known: " + targetIds + " or 'pipeline'"));
      return;
    }
    List<String> wanted = ids.stream().map(String::valueOf).toList();
    vertx.executeBlocking(() -> store.getAll(wanted), false).onComplete(ar -> {
      if (ar.failed()) {
        json(ctx, 500, new JsonObject().put("error", "cannot read the DLQ: " + ar.cause().getMessage()));
        return;
      }
      JsonArray accepted = new JsonArray();
      JsonArray rejected = new JsonArray();
      List<String> found = ar.result().stream().map(DeadLetterEntry::id).toList();
      wanted.stream().filter(id -> !found.contains(id))
          .forEach(id -> rejected.add(new JsonObject().put("id", id).put("error", "no such dead letter")));
      List<Future<Void>> sends = new ArrayList<>();
      for (DeadLetterEntry entry : ar.result()) {
        sends.add(replayOne(entry, to)
            .onSuccess(v -> accepted.add(entry.id()))
            .recover(e -> {
              rejected.add(new JsonObject().put("id", entry.id()).put("error", e.getMessage()));
              return Future.succeededFuture();
            }));
      }
      Future.join(sends).onComplete(done -> json(ctx, 202, new JsonObject().put("to", to)
          .put("accepted", accepted).put("rejected", rejected)));
    });
  }

  /** Sends one entry on its way, oldest first as {@code getAll} returns them, so conversations stay in order. */
  private Future<Void> replayOne(DeadLetterEntry entry, String to) {
    if (entry.payload() == null) {
      return Future.failedFuture("the original input was not JSON (" + entry.reason() + "); nothing to replay");
    }
    Buffer bytes = Buffer.buffer(entry.payload());
    JsonObject json;
    try {
      json = bytes.toJsonObject();
    } catch (DecodeException e) {
      return Future.failedFuture("payload is not a JSON object");
    }
    long seq = nextSeq++;
    NormalizeResult result = normalizer.normalize(json, bytes, "replay", new Ticket(origin, seq), System.currentTimeMillis());
    if (!(result instanceof NormalizeResult.Normalized normalized)) {
      return Future.failedFuture("still not processable: " + describe(result));
    }
    PipelineEvent event = normalized.event();
    int shard = Shards.of(event.conversationId(), shards);
    if ("pipeline".equals(to)) {
      // Past dedup: it has seen this event. Reorder and state treat it like any other arrival.
      vertx.eventBus().send(Addresses.reorder(shard), event);
      return mark(entry, ReplayOutcome.REQUEUED, "pipeline");
    }
    pending.put(seq, new Pending(entry, to));
    return vertx.eventBus().<Buffer>request(Addresses.stateSnapshot(shard), event.conversationId(), QUERY)
        .map(reply -> reply.body())
        .otherwise(new JsonObject().put("id", event.conversationId()).put("state", "unknown").toBuffer())
        .map(snapshot -> {
          ProcessedEvent processed = new ProcessedEvent(event, "replay", 0, snapshot, System.currentTimeMillis());
          vertx.eventBus().send(routes.address(to, processed), processed);
          return null;
        });
  }

  /** A target reported on a replayed entry. */
  private void reported(Settlement settlement) {
    Pending p = pending.remove(settlement.seq());
    if (p == null) {
      return;
    }
    ReplayOutcome outcome = switch (settlement.outcome()) {
      case DELIVERED -> ReplayOutcome.DELIVERED;
      case PARKED -> ReplayOutcome.REQUEUED;
      case DEAD_LETTERED -> ReplayOutcome.DEAD_LETTERED_AGAIN;
      case FILTERED, DUPLICATE -> null;
    };
    if (outcome == null) {
      LOG.info("replay of dead letter [{}] to [{}] was filtered out by the target's filter", p.entry().id(), p.target());
      return;
    }
    mark(p.entry(), outcome, p.target());
  }

  private Future<Void> mark(DeadLetterEntry entry, ReplayOutcome outcome, String target) {
    return vertx.executeBlocking(() -> store.markReplayed(entry, outcome.code(), target, Instant.now()), false)
        .onFailure(e -> LOG.error("cannot record replay of dead letter [{}]", entry.id(), e))
        .mapEmpty();
  }

  private static String describe(NormalizeResult result) {
    if (result instanceof NormalizeResult.Rejected r) {
      return r.reason().code() + ": " + r.error();
    }
    return result instanceof NormalizeResult.Ignored i ? "ignored: " + i.why() : String.valueOf(result);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }

}
