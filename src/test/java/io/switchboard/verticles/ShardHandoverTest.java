package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.TargetTypes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The old owner's side of a handover, over stand-in stage and dispatcher consumers on one node's bus. */
@ExtendWith(VertxExtension.class)
class ShardHandoverTest {

  private static final String NODE = "node-a";
  private static final int SHARD = 3;
  private static final long HANDOVER_TIMEOUT_MS = 4_000;

  @Test
  void verifiesThatAnExportStopsWaitingForAFailingTargetBeforeTheNewOwnerStopsWaitingForThePackage(Vertx vertx,
                                                                                                   VertxTestContext ctx) {
    TargetConfig target = SwitchboardConfig.fromJson(new JsonObject().put("targets", new JsonArray().add(
        new JsonObject().put("id", "crm").put("type", "http").put("url", "http://127.0.0.1:1/x"))),
        TargetTypes.BUILT_IN).targets().get(0);
    for (ShardMap.Stage stage : List.of(ShardMap.Stage.DEDUP, ShardMap.Stage.REORDER, ShardMap.Stage.STATE)) {
      vertx.eventBus().localConsumer(Addresses.shardControl(NODE, stage, SHARD),
          msg -> msg.reply(Buffer.buffer(stage.name())));
    }
    // A target that keeps failing: its dispatcher always still holds an event of the shard, retrying it.
    vertx.eventBus().localConsumer(Addresses.dispatchStatus(NODE, "crm", 0),
        msg -> msg.reply(new JsonObject().put("holding", 1)));
    ShardHandover handover = new ShardHandover(vertx, NODE, List.of(target), HANDOVER_TIMEOUT_MS);
    long started = System.currentTimeMillis();
    handover.export(SHARD).compose(packed -> {
      long tookMs = System.currentTimeMillis() - started;
      return Future.succeededFuture(new Object[] {packed, tookMs});
    }).onComplete(ctx.succeeding(result -> ctx.verify(() -> {
      Buffer packed = (Buffer) result[0];
      long tookMs = (Long) result[1];
      assertEquals(SHARD, ShardHandover.shardOf(packed));
      assertTrue(tookMs >= handover.quietMillis(), "the export gave up on the dispatchers after " + tookMs
          + " ms, before its deadline of " + handover.quietMillis() + " ms");
      // The new owner opens the shard empty at HANDOVER_TIMEOUT_MS: the package must be out well before.
      assertTrue(tookMs < HANDOVER_TIMEOUT_MS - 1_000, "the export took " + tookMs + " ms; the new owner stops"
          + " waiting for it after " + HANDOVER_TIMEOUT_MS + " ms");
      ctx.completeNow();
    })));
  }
}
