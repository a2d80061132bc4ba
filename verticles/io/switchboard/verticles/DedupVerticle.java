package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Bus;
import io.switchboard.bus.FailureCodes;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
  /** Per shard number: whether this node owns it now and takes its events (clustered, handovers flip it). */
  private boolean[] open;
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
    open = new boolean[shardMap.shards()];
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

  private Future<Void> serve(int shard, DedupWindow restored, ShardSnapshots snapshots) {
    List<Future<Void>> ready = new ArrayList<>();
    windows.put(shard, restored);
    open[shard] = !shardMap.clustered();
    AtomicInteger size = PipelineMetrics.gaugeInt("switchboard.dedup.remembered",
        "Events remembered by the dedup window", "shard", String.valueOf(shard));
    size.set(restored.size());
    String reorder = shardMap.address(ShardMap.Stage.REORDER, shard);
    // Cluster-wide: a source on any node sends here once its view names this node the shard's owner.
    MessageConsumer<PipelineEvent> consumer = vertx.eventBus().consumer(
        shardMap.address(ShardMap.Stage.DEDUP, shard), msg -> {
      PipelineEvent event = msg.body();
      if (!open[shard]) {
        // Not this node's (any more, or yet): the source re-resolves the owner and sends it again, in order.
        verdict(event, DedupVerdict.NOT_OWNER);
        return;
      }
      DedupWindow window = windows.get(shard);
      DedupVerdict verdict = window.checkAndRemember(event.eventId(), event.fingerprint(), System.currentTimeMillis(),
          event.replay());
      if (verdict == DedupVerdict.ACCEPTED) {
        if (snapshots != null) {
          snapshots.markDirty();
        }
        vertx.eventBus().send(reorder, event, Bus.LOCAL);
        size.set(window.size());
      } else {
        PipelineMetrics.duplicate(verdict == DedupVerdict.DUPLICATE_ID ? "id" : "content");
      }
      verdict(event, verdict);
    });
    consumers.add(consumer);
    ready.add(consumer.completion());
    timers.add(vertx.setPeriodic(settings.sweepIntervalMillis(), id -> {
      windows.get(shard).expire(System.currentTimeMillis());
      size.set(windows.get(shard).size());
    }));
    MessageConsumer<String> checkpoint = vertx.eventBus().localConsumer(
        Addresses.checkpoint(shardMap.localNode(), ShardMap.Stage.DEDUP, shard), msg -> {
      if ("replay-end".equals(msg.body())) {
        windows.get(shard).endReplay();
        msg.reply(null);
      } else if (snapshots == null) {
        msg.reply(null);
      } else {
        snapshots.checkpoint(windows.get(shard)::writeTo)
            .onComplete(ar -> ShardSnapshots.answer(msg, ar, "dedup shard " + shard));
      }
    });
    ready.add(checkpoint.completion());
    MessageConsumer<Object> control = vertx.eventBus().localConsumer(
        Addresses.shardControl(shardMap.localNode(), ShardMap.Stage.DEDUP, shard), msg -> {
      control(shard, msg);
      size.set(windows.get(shard).size());
    });
    ready.add(control.completion());
    return Future.all(ready).mapEmpty();
  }

  /** A handover step for one shard (see {@code ShardHandover}). */
  private void control(int shard, Message<Object> msg) {
    if (msg.body() instanceof Buffer state) {
      try {
        DedupWindow installed = DedupWindow.restore(new DataInputStream(new ByteArrayInputStream(state.getBytes())),
            settings.ttlMillis(), settings.maxEventsPerShard());
        installed.endReplay();
        windows.put(shard, installed);
        open[shard] = true;
        msg.reply(null);
      } catch (IOException | RuntimeException e) {
        msg.fail(FailureCodes.INTERNAL, "dedup shard " + shard + ": cannot install: " + e);
      }
      return;
    }
    JsonObject request = (JsonObject) msg.body();
    switch (request.getString("action", "")) {
      case "open" -> {
        if (request.getBoolean("empty", false)) {
          windows.put(shard, new DedupWindow(settings.ttlMillis(), settings.maxEventsPerShard()));
        }
        open[shard] = true;
        msg.reply(null);
      }
      case "export" -> {
        open[shard] = false;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          windows.get(shard).writeTo(out);
        } catch (IOException e) {
          msg.fail(FailureCodes.INTERNAL, "dedup shard " + shard + ": cannot export: " + e);
          return;
        }
        windows.put(shard, new DedupWindow(settings.ttlMillis(), settings.maxEventsPerShard()));
        msg.reply(Buffer.buffer(bytes.toByteArray()));
      }
      default -> msg.fail(FailureCodes.BAD_REQUEST, "unknown shard action " + request);
    }
  }

  private void verdict(PipelineEvent event, DedupVerdict verdict) {
    if (event.ticket().isTracked()) {
      // A plain send to the source's verdict address: no reply handler or timer per event (PendingVerdicts).
      vertx.eventBus().send(Addresses.verdicts(event.ticket().origin()), new Verdict(event.ticket().seq(), verdict));
    }
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }
}
