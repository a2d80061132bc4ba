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

  public DedupVerticle(DedupConfig settings, ShardMap shardMap, int instance) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : shardMap.ownedBy(ShardMap.Stage.DEDUP, instance)) {
      DedupWindow window = new DedupWindow(settings.ttlMillis(), settings.maxEventsPerShard());
      windows.put(shard, window);
      AtomicInteger size = PipelineMetrics.gaugeInt("switchboard.dedup.remembered",
          "Events remembered by the dedup window", "shard", String.valueOf(shard));
      String reorder = shardMap.address(ShardMap.Stage.REORDER, shard);
      MessageConsumer<PipelineEvent> consumer = vertx.eventBus().localConsumer(
          shardMap.address(ShardMap.Stage.DEDUP, shard), msg -> {
        PipelineEvent event = msg.body();
        DedupVerdict verdict = window.checkAndRemember(event.eventId(), event.fingerprint(), System.currentTimeMillis());
        if (verdict == DedupVerdict.ACCEPTED) {
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
    }
    return Future.all(ready);
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }
}
