package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * One checkpoint of this node, in an order that makes truncating the journals safe:
 * <ol>
 *   <li>ask every source for its contiguous settled position; every event up to it has gone through dedup and
 *       state already (it settled, and settling happens after them);</li>
 *   <li>have every dedup and state shard write its snapshot; each now covers those events;</li>
 *   <li>only then let each source truncate its journal to the position from step 1.</li>
 * </ol>
 * After a crash the snapshots plus the journals' tails rebuild what was lost. A failed step skips the truncation;
 * the next checkpoint tries again. Checkpoints never overlap.
 */
final class Checkpointer {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  private final Vertx vertx;
  private final ShardMap shardMap;
  private final java.util.function.Supplier<List<String>> currentSources;
  private final boolean snapshots;
  private Future<Void> running;

  /** @param snapshots whether shards keep snapshots; without them the journals are truncated all the same */
  Checkpointer(Vertx vertx, ShardMap shardMap, List<String> sources, boolean snapshots) {
    this(vertx, shardMap, () -> sources, snapshots);
  }

  /** @param sources the sources running on this node now (clustered, singleton sources come and go) */
  Checkpointer(Vertx vertx, ShardMap shardMap, java.util.function.Supplier<List<String>> sources, boolean snapshots) {
    this.vertx = vertx;
    this.shardMap = shardMap;
    this.currentSources = sources;
    this.snapshots = snapshots;
  }

  /** Runs a checkpoint, or joins the one under way. */
  Future<Void> run() {
    if (running != null) {
      return running;
    }
    long started = System.currentTimeMillis();
    String node = shardMap.localNode();
    List<String> sources = List.copyOf(currentSources.get());
    List<Future<JsonObject>> positions = new ArrayList<>();
    for (String source : sources) {
      positions.add(vertx.eventBus().<JsonObject>request(Addresses.ingestControl(node, source),
          new JsonObject().put("action", "position")).map(m -> m.body()));
    }
    running = Future.all(positions)
        .compose(v -> snapshots ? snapshotAll(node) : Future.succeededFuture())
        .compose(v -> {
          List<Future<Object>> truncations = new ArrayList<>();
          for (int i = 0; i < sources.size(); i++) {
            truncations.add(vertx.eventBus().request(Addresses.ingestControl(node, sources.get(i)),
                new JsonObject().put("action", "truncate")
                    .put("through", positions.get(i).result().getLong("settledThrough")))
                .map(m -> null));
          }
          return Future.all(truncations).<Void>mapEmpty();
        })
        .onSuccess(v -> PipelineMetrics.checkpoint("ok", System.currentTimeMillis() - started))
        .onFailure(e -> {
          PipelineMetrics.checkpoint("failed", System.currentTimeMillis() - started);
          LOG.warn("checkpoint failed, journals not truncated this time: {}", e.toString());
        })
        .eventually(() -> {
          running = null;
          return Future.succeededFuture();
        });
    return running;
  }

  /** Runs a checkpoint that starts after the one under way, if any: it sees everything settled by now. */
  Future<Void> runFresh() {
    return running == null ? run() : running.transform(ar -> run());
  }

  /** Tells every dedup shard that the journals' replay is over. */
  Future<Void> endReplay() {
    List<Future<Object>> acks = new ArrayList<>();
    for (int shard = 0; shard < shardMap.shards(); shard++) {
      acks.add(vertx.eventBus().request(Addresses.checkpoint(shardMap.localNode(), ShardMap.Stage.DEDUP, shard),
          "replay-end").map(m -> null));
    }
    return Future.all(acks).mapEmpty();
  }

  private Future<Void> snapshotAll(String node) {
    List<Future<Object>> writes = new ArrayList<>();
    for (int shard = 0; shard < shardMap.shards(); shard++) {
      for (ShardMap.Stage stage : List.of(ShardMap.Stage.DEDUP, ShardMap.Stage.STATE)) {
        writes.add(vertx.eventBus().request(Addresses.checkpoint(node, stage, shard), "snapshot",
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(60_000)).map(m -> null));
      }
    }
    return Future.all(writes).mapEmpty();
  }
}
