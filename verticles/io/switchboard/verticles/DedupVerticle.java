package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.DedupConfig;
import io.switchboard.dedup.DedupWindow;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Verdict;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the dedup windows of its shards. Tells the event's source its {@link DedupVerdict} at the source's verdict
 * address and forwards first sightings to the reorder shard of the same number.
 */
public final class DedupVerticle extends VerticleBase {

  private final DedupConfig settings;
  private final ShardMap shardMap;
  private final int instance;
  private final Map<Integer, DedupWindow> windows = new HashMap<>();
  private final List<MessageConsumer<PipelineEvent>> consumers = new ArrayList<>();
  private final List<Long> timers = new ArrayList<>();
  /** Where shard snapshots go; null when checkpoints are off. */
  private final String snapshotDir;

  public DedupVerticle(DedupConfig settings, ShardMap shardMap, int instance, String snapshotDir) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.instance = instance;
    this.snapshotDir = snapshotDir;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : shardMap.ownedBy(ShardMap.Stage.DEDUP, instance)) {
      if (snapshotDir == null) {
        ready.add(serve(shard, fresh(), null));
        continue;
      }
      ShardSnapshots snapshots = new ShardSnapshots(vertx, snapshotDir, shardMap.localNode(), ShardMap.Stage.DEDUP,
          shard, shardMap.shards());
      ready.add(snapshots.load(in -> DedupWindow.restore(in, settings.ttlMillis(), settings.maxEventsPerShard()))
          .compose(restored -> serve(shard, restored.orElseGet(() -> fresh()), snapshots)));
    }
    return Future.all(ready);
  }

  /** An empty window, in replay mode until the journals' replay ends (MainVerticle says so). */
  private DedupWindow fresh() {
    DedupWindow window = new DedupWindow(settings.ttlMillis(), settings.maxEventsPerShard());
    window.beginReplay();
    return window;
  }

  private Future<Void> serve(int shard, DedupWindow window, ShardSnapshots snapshots) {
    List<Future<Void>> ready = new ArrayList<>();
    windows.put(shard, window);
    AtomicInteger size = PipelineMetrics.gaugeInt("switchboard.dedup.remembered",
        "Events remembered by the dedup window", "shard", String.valueOf(shard));
    size.set(window.size());
    String reorder = shardMap.address(ShardMap.Stage.REORDER, shard);
    MessageConsumer<PipelineEvent> consumer = vertx.eventBus().localConsumer(
        shardMap.address(ShardMap.Stage.DEDUP, shard), msg -> {
      PipelineEvent event = msg.body();
      DedupVerdict verdict = window.checkAndRemember(event.eventId(), event.fingerprint(), System.currentTimeMillis(),
          event.replay());
      if (verdict == DedupVerdict.ACCEPTED) {
        if (snapshots != null) {
          snapshots.markDirty();
        }
        vertx.eventBus().send(reorder, event);
        size.set(window.size());
      } else {
        PipelineMetrics.duplicate(verdict == DedupVerdict.DUPLICATE_ID ? "id" : "content");
      }
      if (event.ticket().isTracked()) {
        // A plain send to the source's verdict address: no reply handler or timer per event (PendingVerdicts).
        vertx.eventBus().send(Addresses.verdicts(event.ticket().origin()), new Verdict(event.ticket().seq(), verdict));
      }
    });
    consumers.add(consumer);
    ready.add(consumer.completion());
    timers.add(vertx.setPeriodic(settings.sweepIntervalMillis(), id -> {
      window.expire(System.currentTimeMillis());
      size.set(window.size());
    }));
    MessageConsumer<String> checkpoint = vertx.eventBus().localConsumer(
        Addresses.checkpoint(shardMap.localNode(), ShardMap.Stage.DEDUP, shard), msg -> {
      if ("replay-end".equals(msg.body())) {
        window.endReplay();
        msg.reply(null);
      } else if (snapshots == null) {
        msg.reply(null);
      } else {
        snapshots.checkpoint(window::writeTo).onComplete(ar -> ShardSnapshots.answer(msg, ar, "dedup shard " + shard));
      }
    });
    ready.add(checkpoint.completion());
    return Future.all(ready).mapEmpty();
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }
}
