package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Sources that must run once in the whole cluster, not once per node: the Notifications WebSocket (one channel set per
 * source) and the REST poller (one interval stream per source). Each runs on the member the view names for its id
 * (rendezvous hashing, as for shards) and moves when the view does: the node that loses it stops taking input, waits
 * (bounded) for what it admitted to settle, runs a checkpoint with the source still in it (so a poller's shared
 * checkpoint reaches the last window it settled, and the next member does not poll those windows again) and undeploys
 * it; the node that gains it deploys it, replays its own journal of the source (if it ran here before) and listens.
 * Used on MainVerticle's event loop only.
 */
final class SingletonSources {

  private static final Logger LOG = LoggerFactory.getLogger(SingletonSources.class);
  private static final long SETTLE_MILLIS = 10_000;
  private static final long CLAIM_RETRY_MILLIS = 250;
  /** Cluster-wide: source id → the member running it, from its start until it has stopped. */
  static final String RUNNERS = "switchboard.singleton-runners";

  private final Vertx vertx;
  private final ShardMap shardMap;
  private final Map<String, Supplier<Deployable>> factories = new LinkedHashMap<>();
  /** Source id → deployment id, for the sources running here. */
  private final Map<String, String> running = new LinkedHashMap<>();
  /** Sources being started or stopped: a view change waits for them to finish (the next one reconciles again). */
  private final Map<String, Future<Void>> moving = new LinkedHashMap<>();
  /** Sources stopping here: still running (the last checkpoint includes them) until undeployed. */
  private final Map<String, Future<Void>> stopping = new LinkedHashMap<>();
  private final Supplier<Future<Void>> checkpoint;

  /** @param checkpoint runs a checkpoint of this node, covering every source {@link #runningHere()} names */
  SingletonSources(Vertx vertx, ShardMap shardMap, Supplier<Future<Void>> checkpoint) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.checkpoint = Objects.requireNonNull(checkpoint, "checkpoint");
  }

  void add(String sourceId, Supplier<Deployable> factory) {
    factories.put(sourceId, factory);
  }

  boolean isEmpty() {
    return factories.isEmpty();
  }

  /** The singleton sources running on this node now (for checkpoints and the drain). */
  List<String> runningHere() {
    return List.copyOf(running.keySet());
  }

  /** Starts here what the view gives this node, stops what it gives another. */
  void reconcile() {
    String node = shardMap.localNode();
    for (String source : factories.keySet()) {
      if (moving.containsKey(source)) {
        continue;
      }
      boolean mine = node.equals(shardMap.view().ownerOf(source));
      if (mine && !running.containsKey(source)) {
        track(source, start(source));
      } else if (!mine && running.containsKey(source) && !stopping.containsKey(source)) {
        track(source, stop(source));
      }
    }
  }

  /** Stops every singleton running here (the drain). */
  Future<Void> stopAll() {
    List<Future<Void>> stops = running.keySet().stream().map(this::stop).toList();
    return Future.join(stops).mapEmpty();
  }

  private void track(String source, Future<Void> move) {
    moving.put(source, move);
    move.onComplete(ar -> {
      moving.remove(source);
      if (ar.failed()) {
        LOG.warn("singleton source [{}] did not move cleanly: {}", source, ar.cause().toString());
        vertx.setTimer(CLAIM_RETRY_MILLIS * 4, id -> reconcile());
        return;
      }
      reconcile();
    });
  }

  /**
   * Claims the source in the cluster-wide {@value #RUNNERS} map, then starts it. A claim held by a member still in
   * the view means that member has not stopped it yet (a join moved it here): this node tries again shortly, so
   * the source never runs on two members at once. A claim of a member gone from the view is taken over.
   */
  private Future<Void> start(String source) {
    String node = shardMap.localNode();
    return vertx.sharedData().<String, String>getAsyncMap(RUNNERS)
        .compose(runners -> runners.putIfAbsent(source, node).compose(holder -> {
          if (holder == null || holder.equals(node)) {
            return Future.succeededFuture(true);
          }
          if (shardMap.view().contains(holder)) {
            return Future.succeededFuture(false);
          }
          return runners.replaceIfPresent(source, holder, node);
        }))
        .compose(claimed -> {
          if (!claimed) {
            Promise<Void> later = Promise.promise();
            vertx.setTimer(CLAIM_RETRY_MILLIS, id -> later.complete());
            return later.future();
          }
          return deploy(source);
        });
  }

  private Future<Void> deploy(String source) {
    LOG.info("singleton source [{}] starts on this node", source);
    return vertx.deployVerticle(factories.get(source).get()).compose(id -> {
      running.put(source, id);
      return new ReplayCoordinator(vertx, shardMap.localNode(), List.of(source)).run();
    }).compose(v -> control(source, new JsonObject().put("action", "listen"))).mapEmpty();
  }

  private Future<Void> stop(String source) {
    Future<Void> already = stopping.get(source);
    if (already != null) {
      return already;
    }
    String deployment = running.get(source);
    if (deployment == null) {
      return Future.succeededFuture();
    }
    LOG.info("singleton source [{}] stops on this node", source);
    Future<Void> stopped = control(source, new JsonObject().put("action", "close"))
        .compose(v -> control(source, new JsonObject().put("action", "await").put("timeoutMs", SETTLE_MILLIS)))
        // A failed checkpoint only means the next member polls a little more again (dedup drops the repeats).
        .transform(ar -> checkpoint.get())
        .transform(ar -> {
          running.remove(source);
          return vertx.undeploy(deployment);
        })
        .transform(ar -> vertx.sharedData().<String, String>getAsyncMap(RUNNERS)
            .compose(runners -> runners.removeIfPresent(source, shardMap.localNode())).mapEmpty());
    stopping.put(source, stopped);
    return stopped.onComplete(ar -> stopping.remove(source));
  }

  private Future<Object> control(String source, JsonObject request) {
    return vertx.eventBus().request(Addresses.ingestControl(shardMap.localNode(), source), request,
        new DeliveryOptions().setSendTimeout(SETTLE_MILLIS * 6)).map(m -> m.body());
  }
}
