package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.bus.ShardMap;
import io.switchboard.dispatch.TargetRoutes;
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
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code GET /dlq} (paged, filtered listing), {@code GET /dlq/{id}} and {@code POST /dlq/replay}: selected
 * entries go back to one target (through its filter, retry policy and idempotency key) or to the start of
 * the pipeline (past dedup, which has seen them). Replays are tracked like any admitted event: when a
 * target reports the outcome, the entry is marked in the DLQ's replay journal. A thin HTTP adaptor: the DLQ
 * writer owns the files and answers the reads and marks over the bus; this maps its replies and failures to HTTP.
 */
final class DeadLetterEndpoints {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterEndpoints.class);
  private static final int MAX_REPLAY = 1000;
  private static final DeliveryOptions QUERY = new DeliveryOptions().setSendTimeout(5_000);
  /** Long enough for a query's scan budget, and for the requests queued before it at the writer. */
  private static final DeliveryOptions DLQ_REQUEST = new DeliveryOptions().setSendTimeout(60_000);

  private final Vertx vertx;
  private final EventNormalizer normalizer;
  private final TargetRoutes routes;
  private final Set<String> targetIds;
  private final ShardMap shardMap;
  private final String origin;
  private final Map<Long, Pending> pending = new HashMap<>();
  private long nextSeq = 1;

  /** A replayed entry waiting for its target's report. */
  private record Pending(ReplayableLetter entry, String target) {
  }

  /** @param sourceId the ingest instance's stable id: replays are a source of their own, {@code replay-<id>} */
  DeadLetterEndpoints(Vertx vertx, EventNormalizer normalizer, TargetRoutes routes, ShardMap shardMap,
                      String sourceId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.routes = Objects.requireNonNull(routes, "routes");
    this.targetIds = Set.copyOf(routes.targetIds());
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.origin = Addresses.settle(shardMap.localNode(), "replay-" + sourceId);
  }

  Future<Void> mount(Router router) {
    router.get("/dlq").handler(this::list);
    router.get("/dlq/:id").handler(this::one);
    router.post("/dlq/replay").handler(BodyHandler.create(false).setBodyLimit(1024 * 1024)).handler(this::replay);
    MessageConsumer<Settlement> reports = vertx.eventBus().consumer(origin, msg -> reported(msg.body()));
    return reports.completion();
  }

  /** The node whose dead letters a {@code /dlq} answer lists. */
  static final String NODE_HEADER = "X-Switchboard-Node";

  private void list(RoutingContext ctx) {
    JsonArray params = new JsonArray();
    ctx.queryParams().forEach((name, value) -> params.add(new JsonArray().add(name).add(value)));
    this.<Buffer>ask(Addresses.DLQ_QUERY, params)
        // The dead letters are this node's files: in a cluster each node lists its own, and says which it is.
        .onSuccess(page -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
            .putHeader(NODE_HEADER, shardMap.localNode()).end(page))
        .onFailure(e -> failed(ctx, e));
  }

  private void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    this.<Buffer>ask(Addresses.DLQ_GET, id)
        .onSuccess(entry -> ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(entry))
        .onFailure(e -> failed(ctx, e));
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
    this.<JsonArray>ask(Addresses.DLQ_GET_ALL, new JsonArray(wanted)).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
        return;
      }
      List<ReplayableLetter> entries = ar.result().stream()
          .map(json -> ReplayableLetter.fromJson((JsonObject) json)).toList();
      JsonArray accepted = new JsonArray();
      JsonArray rejected = new JsonArray();
      List<String> found = entries.stream().map(ReplayableLetter::id).toList();
      wanted.stream().filter(id -> !found.contains(id))
          .forEach(id -> rejected.add(new JsonObject().put("id", id).put("error", "no such dead letter")));
      List<Future<Void>> sends = new ArrayList<>();
      for (ReplayableLetter entry : entries) {
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
  private Future<Void> replayOne(ReplayableLetter entry, String to) {
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
    int shard = shardMap.shardOf(event.conversationId());
    if ("pipeline".equals(to)) {
      // Past dedup: it has seen this event. Reorder and state treat it like any other arrival.
      // Clustered, to the owner's buffer: the view names it (unclustered, this node).
      String owner = shardMap.ownerNode(shard);
      if (owner == null) {
        return Future.failedFuture("no node owns shard " + shard + " yet (the cluster is forming)");
      }
      vertx.eventBus().send(shardMap.addressOn(owner, ShardMap.Stage.REORDER, shard), event);
      return mark(entry, ReplayOutcome.REQUEUED, "pipeline");
    }
    pending.put(seq, new Pending(entry, to));
    return vertx.eventBus().<Buffer>request(
            Addresses.stateSnapshot(Objects.requireNonNullElse(shardMap.ownerNode(shard), shardMap.localNode()), shard),
            event.conversationId(), QUERY)
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

  private Future<Void> mark(ReplayableLetter entry, ReplayOutcome outcome, String target) {
    return ask(Addresses.DLQ_MARK_REPLAYED, new JsonObject().put("letter", entry.toJson())
        .put("outcome", outcome.code()).put("target", target))
        .onFailure(e -> LOG.error("cannot record replay of dead letter [{}]", entry.id(), e))
        .mapEmpty();
  }

  /** A request to the DLQ writer, which owns the store. */
  private <T> Future<T> ask(String address, Object body) {
    return vertx.eventBus().<T>request(address, body, DLQ_REQUEST).map(Message::body);
  }

  /** The writer's failure contract as HTTP: 400 and 404 as it says, anything else (timeout included) 500. */
  private static void failed(RoutingContext ctx, Throwable failure) {
    int code = failure instanceof ReplyException reply ? reply.failureCode() : FailureCodes.INTERNAL;
    if (code == FailureCodes.BAD_REQUEST || code == FailureCodes.NOT_FOUND) {
      json(ctx, code, new JsonObject().put("error", failure.getMessage()));
    } else {
      json(ctx, 500, new JsonObject().put("error", "cannot read the DLQ: " + failure.getMessage()));
    }
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
