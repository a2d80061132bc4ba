package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.config.ClusterConfig;
import io.switchboard.it.FreePorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A one-member cluster (Hazelcast in this JVM) whose stages are stand-ins that record what they are told: a handover
 * package that arrives for a shard this node already opened (it stopped waiting for the package and opened the shard
 * empty) is not installed over the state the shard has had since; only the events the old owner held go on.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ClusterVerticleLatePackageTest {

  private static final String NODE = "node-a";
  private static final int SHARDS = 4;
  private static final int LATE_SHARD = 1;

  private final List<String> installs = new CopyOnWriteArrayList<>();
  private Vertx vertx;

  @AfterEach
  void close(VertxTestContext ctx) {
    (vertx == null ? Future.<Void>succeededFuture() : vertx.close()).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatALatePackageForAShardAlreadyOpenHereGivesOnlyItsHeldEvents(VertxTestContext ctx)
      throws Exception {
    int port = FreePorts.one();
    ClusterConfig cluster = new ClusterConfig(true, "sb-test-" + UUID.randomUUID(), "127.0.0.1", port, 0,
        List.of("127.0.0.1:" + port), 3000, 5000);
    VertxOptions options = new VertxOptions();
    HazelcastSetup.eventBus(cluster, options.getEventBusOptions());
    vertx = Vertx.builder().with(options)
        .withClusterManager(new HazelcastClusterManager(HazelcastSetup.of(cluster, NODE, null)))
        .buildClustered().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    for (int shard = 0; shard < SHARDS; shard++) {
      for (ShardMap.Stage stage : List.of(ShardMap.Stage.DEDUP, ShardMap.Stage.REORDER, ShardMap.Stage.STATE)) {
        String where = stage + " " + shard;
        vertx.eventBus().localConsumer(Addresses.shardControl(NODE, stage, shard), msg -> {
          if (msg.body() instanceof Buffer) {
            installs.add(where);
          }
          msg.reply(null);
        });
      }
    }
    ShardMap shardMap = ShardMap.clustered(NODE, SHARDS, 1, 1, 1);
    vertx.deployVerticle(new ClusterVerticle(shardMap, List.of(), 5_000))
        .compose(id -> vertx.eventBus().<Boolean>request(Addresses.clusterJoin(NODE), "join"))
        .compose(joined -> {
          ctx.verify(() -> assertTrue(joined.body(), "the node joined and opened its shards"));
          // The package the previous owner sent too late: shard, then dedup, reorder and state parts.
          Buffer late = Buffer.buffer().appendInt(LATE_SHARD);
          for (String part : List.of("dedup", "reorder", "state")) {
            late.appendInt(part.length()).appendString(part);
          }
          return vertx.eventBus().request(Addresses.clusterInbox(NODE), late);
        })
        .compose(answered -> vertx.eventBus().<JsonObject>request(Addresses.clusterStatus(NODE), "status"))
        .onComplete(ctx.succeeding(status -> ctx.verify(() -> {
          assertEquals(List.of("REORDER " + LATE_SHARD), installs,
              "the held events go to the reorder buffer; the older state and dedup window are not installed");
          assertTrue(status.body().getJsonArray("owned").contains(LATE_SHARD), "the shard stays open here: "
              + status.body());
          ctx.completeNow();
        })));
  }
}
