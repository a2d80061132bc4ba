package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The steps that move one shard between nodes, over this node's stage instances. {@link #export} stops the shard
 * taking events and packs its state: the dedup window (closing it, so sources are turned away and wait), the events
 * the reorder buffer holds (taken out, in order, to be held on by the new owner), the conversations, once every
 * dispatcher has finished the shard's events already released (so the new owner's deliveries cannot overtake
 * them at a target). {@link #install} unpacks such a package on the new owner and opens the shard last.
 *
 * <p>Each stage's instance handles the step on its own event loop; the steps' order through the bus is what keeps
 * events from slipping between them: the dedup instance sends to reorder before it replies, and reorder to state.
 */
final class ShardHandover {

  private static final long QUIET_POLL_MILLIS = 20;

  private final Vertx vertx;
  private final String node;
  private final List<TargetConfig> targets;
  private final long timeoutMillis;

  ShardHandover(Vertx vertx, String node, List<TargetConfig> targets, long timeoutMillis) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.node = Objects.requireNonNull(node, "node");
    this.targets = List.copyOf(targets);
    this.timeoutMillis = timeoutMillis;
  }

  /** Closes {@code shard} here and returns its package: shard, dedup window, held events, conversations. */
  Future<Buffer> export(int shard) {
    JsonObject export = new JsonObject().put("action", "export");
    Buffer packed = Buffer.buffer().appendInt(shard);
    return this.<Buffer>ask(ShardMap.Stage.DEDUP, shard, export).compose(dedup -> {
      appendPart(packed, dedup);
      return this.<Buffer>ask(ShardMap.Stage.REORDER, shard, export);
    }).compose(held -> {
      appendPart(packed, held);
      return this.<Buffer>ask(ShardMap.Stage.STATE, shard, export);
    }).compose(state -> {
      appendPart(packed, state);
      return quiet(shard, System.currentTimeMillis() + quietMillis());
    }).map(packed);
  }

  /**
   * How long an export waits for the dispatchers: half the handover timeout, so that the package reaches the new
   * owner before its own wait for it ({@code handoverTimeoutMs}) runs out and it opens the shard empty.
   */
  long quietMillis() {
    return timeoutMillis / 2;
  }

  /** The shard a package is for. */
  static int shardOf(Buffer packed) {
    return packed.getInt(0);
  }

  /** Takes over a package another node exported (or this one, when the handover found no taker) and opens it. */
  Future<Integer> install(Buffer packed) {
    int shard = shardOf(packed);
    List<Buffer> parts = parts(packed);
    return ask(ShardMap.Stage.STATE, shard, parts.get(2))
        .compose(v -> ask(ShardMap.Stage.REORDER, shard, parts.get(1)))
        .compose(v -> ask(ShardMap.Stage.DEDUP, shard, parts.get(0)))
        .map(shard);
  }

  /**
   * Takes only the held events of a package that came after {@code shard} opened here without it: they were accepted
   * and are owed to the targets, while its conversations and dedup window are older than what the shard has now.
   */
  Future<Integer> installHeldEvents(Buffer packed) {
    int shard = shardOf(packed);
    return ask(ShardMap.Stage.REORDER, shard, parts(packed).get(1)).map(shard);
  }

  /**
   * Opens {@code shard} here without a package: with what this node restored at start ({@code empty} false: a
   * cluster starting, this node's own snapshot), or empty, when the previous owner crashed and took its state along.
   */
  Future<Void> open(int shard, boolean empty) {
    Future<Void> cleared = Future.succeededFuture();
    if (empty) {
      // Whatever this node still holds of the shard is older than what the crashed owner did since.
      cleared = ask(ShardMap.Stage.STATE, shard, new JsonObject().put("action", "recover")).mapEmpty();
    }
    return cleared.compose(v -> ask(ShardMap.Stage.DEDUP, shard,
        new JsonObject().put("action", "open").put("empty", empty))).mapEmpty();
  }

  private <T> Future<T> ask(ShardMap.Stage stage, int shard, Object request) {
    return vertx.eventBus().<T>request(Addresses.shardControl(node, stage, shard), request,
        new DeliveryOptions().setSendTimeout(timeoutMillis).setLocalOnly(true)).map(m -> m.body());
  }

  /**
   * Completes once no dispatcher instance holds an event of {@code shard} (delivered, dead-lettered or parked by
   * then), or at the deadline (a target failing): then the handover goes on, and the new owner may deliver a
   * conversation's newer events before this node's last retries of older ones.
   */
  private Future<Void> quiet(int shard, long deadline) {
    Promise<Void> done = Promise.promise();
    poll(new JsonObject().put("shards", new JsonArray().add(shard)), deadline, done);
    return done.future();
  }

  private void poll(JsonObject ask, long deadline, Promise<Void> done) {
    List<Future<Integer>> counts = new ArrayList<>();
    for (TargetConfig target : targets) {
      for (int i = 0; i < target.instances(); i++) {
        counts.add(vertx.eventBus().<JsonObject>request(Addresses.dispatchStatus(node, target.id(), i), ask,
            new DeliveryOptions().setLocalOnly(true)).map(m -> m.body().getInteger("holding")));
      }
    }
    Future.join(counts).onComplete(ar -> {
      int holding = 0;
      for (Future<Integer> count : counts) {
        holding += count.succeeded() ? count.result() : 0;
      }
      if (holding == 0 || System.currentTimeMillis() >= deadline) {
        done.complete();
      } else {
        vertx.setTimer(QUIET_POLL_MILLIS, id -> poll(ask, deadline, done));
      }
    });
  }

  private static void appendPart(Buffer packed, Buffer part) {
    packed.appendInt(part.length()).appendBuffer(part);
  }

  private static List<Buffer> parts(Buffer packed) {
    List<Buffer> parts = new ArrayList<>(3);
    int pos = 4;
    for (int i = 0; i < 3; i++) {
      int length = packed.getInt(pos);
      pos += 4;
      parts.add(packed.getBuffer(pos, pos + length));
      pos += length;
    }
    return parts;
  }
}
