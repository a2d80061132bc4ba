package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays the journals of all of this node's ingest instances together, in steps of arrival time: each step lets
 * every instance admit what it received up to the earliest pending arrival plus {@link #STEP_MILLIS}. A
 * conversation whose events went to different instances (they share the port) therefore comes back in the order it
 * arrived, to within a step, which the reorder stage's hold for replayed events covers; replaying each journal on its
 * own would let one run ahead of the other by as long as its replay takes.
 */
final class ReplayCoordinator {

  /** Arrival time each step admits beyond the earliest pending record. */
  static final long STEP_MILLIS = 100;
  private static final DeliveryOptions LONG = new DeliveryOptions().setSendTimeout(600_000);

  private final Vertx vertx;
  private final String node;
  private final List<String> sources;

  ReplayCoordinator(Vertx vertx, String node, List<String> sources) {
    this.vertx = vertx;
    this.node = node;
    this.sources = List.copyOf(sources);
  }

  /** Completes once every instance has replayed and admitted its whole journal. */
  Future<Void> run() {
    Promise<Void> done = Promise.promise();
    List<Long> next = new ArrayList<>();
    sources.forEach(s -> next.add(Long.MIN_VALUE));
    step(next, done);
    return done.future().compose(v -> {
      List<Future<Object>> finishes = new ArrayList<>();
      for (String source : sources) {
        finishes.add(control(source, new JsonObject().put("action", "replay-finish")).map(m -> null));
      }
      return Future.all(finishes).mapEmpty();
    });
  }

  /** {@code next.get(i)}: the arrival time of source i's next record, MIN before the first step, MAX when read. */
  private void step(List<Long> next, Promise<Void> done) {
    long earliest = next.stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    if (earliest == Long.MAX_VALUE) {
      done.complete();
      return;
    }
    long bound = earliest == Long.MIN_VALUE ? Long.MIN_VALUE : earliest + STEP_MILLIS;
    List<Future<Long>> steps = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      steps.add(next.get(i) > bound ? Future.succeededFuture(next.get(i))
          : control(sources.get(i), new JsonObject().put("action", "replay-until").put("bound", bound))
              .map(m -> ((JsonObject) m).getLong("next")));
    }
    Future.all(steps).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      List<Long> reached = new ArrayList<>();
      steps.forEach(f -> reached.add(f.result()));
      step(reached, done);
    });
  }

  private Future<Object> control(String source, JsonObject request) {
    return vertx.eventBus().request(Addresses.ingestControl(node, source), request, LONG).map(m -> m.body());
  }
}
