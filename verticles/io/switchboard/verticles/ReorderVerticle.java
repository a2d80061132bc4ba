package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Bus;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.ReorderConfig;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Replay;
import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.LatenessBounds;
import io.switchboard.reorder.ReleaseCause;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSink;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the reorder buffers of its shards: releases each conversation's events to its state shard in eventTime
 * order once the lateness bound of their source has passed (or, in lifecycle mode, when the lifecycle expects
 * them). The shards of one instance share one set of learned bounds and one timer, armed at the earliest hold
 * deadline among them, rounded up to {@value #TICK_MILLIS} ms so that nearby deadlines fire together.
 */
public final class ReorderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReorderVerticle.class);
  private static final long TICK_MILLIS = 2;
  private static final long BOUND_PUBLISH_MILLIS = 1_000;

  private final ReorderConfig settings;
  private final LifecycleDefinition lifecycle;
  private final ShardMap shardMap;
  private final int instance;
  private final List<ShardBuffer> shards = new ArrayList<>();
  private LatenessBounds bounds;
  private ReorderMeters meters;
  private long timerId = -1;
  private long timerDeadline = Long.MAX_VALUE;
  private long publishTimer = -1;

  public ReorderVerticle(ReorderConfig settings, LifecycleDefinition lifecycle, ShardMap shardMap, int instance) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    meters = new ReorderMeters(instance);
    bounds = settings.newLatenessBounds();
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : shardMap.ownedBy(ShardMap.Stage.REORDER, instance)) {
      ShardBuffer buffer = new ShardBuffer(shard);
      shards.add(buffer);
      ready.add(buffer.consumer.completion());
      ready.add(buffer.flushConsumer.completion());
      ready.add(buffer.controlConsumer.completion());
    }
    // Node-local: /ready asks the instances of its own node.
    MessageConsumer<Object> status = vertx.eventBus().localConsumer(
        Addresses.reorderStatus(shardMap.localNode(), instance), msg -> msg.reply(status(instance)));
    ready.add(status.completion());
    publishTimer = vertx.setPeriodic(BOUND_PUBLISH_MILLIS, id -> bounds.millis(now()).forEach(meters::bound));
    return Future.all(ready);
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(publishTimer);
    shards.forEach(ShardBuffer::flush);
    return Future.succeededFuture();
  }

  private JsonObject status(int instance) {
    JsonObject latenessMs = new JsonObject();
    bounds.millis(now()).forEach(latenessMs::put);
    int buffered = shards.stream().mapToInt(s -> s.buffer.bufferedEvents()).sum();
    return new JsonObject().put("instance", instance).put("release", settings.release())
        .put("lateness", settings.lateness()).put("latenessMs", latenessMs).put("buffered", buffered);
  }

  /** Monotonic milliseconds: the buffers compare arrival times only. */
  private static long now() {
    return System.nanoTime() / 1_000_000;
  }

  /** Keeps exactly one timer armed at the earliest hold deadline of the instance's shards. */
  private void rearm() {
    long deadline = Long.MAX_VALUE;
    for (ShardBuffer shard : shards) {
      deadline = Math.min(deadline, shard.buffer.nextDeadline());
    }
    if (deadline != Long.MAX_VALUE) {
      deadline = Math.floorDiv(deadline + TICK_MILLIS - 1, TICK_MILLIS) * TICK_MILLIS;
    }
    if (deadline == timerDeadline) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerDeadline = deadline;
    if (deadline != Long.MAX_VALUE) {
      timerId = vertx.setTimer(Math.max(1, deadline - now()), id -> {
        timerId = -1;
        timerDeadline = Long.MAX_VALUE;
        long now = now();
        for (ShardBuffer shard : shards) {
          if (shard.buffer.nextDeadline() <= now) {
            shard.buffer.advance(now);
            shard.depth.set(shard.buffer.bufferedEvents());
          }
        }
        rearm();
      });
    }
  }

  /** One shard's buffer and consumers. */
  private final class ShardBuffer implements ReorderSink {
    private final String stateAddress;
    private final ReorderBuffer buffer;
    private final MessageConsumer<PipelineEvent> consumer;
    private final MessageConsumer<Object> flushConsumer;
    private final MessageConsumer<Object> controlConsumer;
    private final AtomicInteger depth;
    /** While the shard is exported, what the flush releases is collected here instead of sent on. */
    private List<PipelineEvent> exporting;

    ShardBuffer(int shard) {
      this.stateAddress = shardMap.address(ShardMap.Stage.STATE, shard);
      this.buffer = new ReorderBuffer(
          settings.bufferSettings(),
          bounds, conversationId -> new ConversationLifecycle(lifecycle), this);
      this.depth = PipelineMetrics.gaugeInt("switchboard.reorder.buffered", "Events held by the reorder buffer",
          "shard", String.valueOf(shard));
      // Cluster-wide, so that a DLQ replay on any node reaches the owner's buffer.
      this.consumer = vertx.eventBus().consumer(shardMap.address(ShardMap.Stage.REORDER, shard), msg -> {
        buffer.offer(msg.body(), now());
        depth.set(buffer.bufferedEvents());
        rearm();
      });
      this.flushConsumer = vertx.eventBus().localConsumer(Addresses.reorderFlush(shardMap.localNode(), shard),
          msg -> {
        flush();
        msg.reply(null);
      });
      this.controlConsumer = vertx.eventBus().localConsumer(
          Addresses.shardControl(shardMap.localNode(), ShardMap.Stage.REORDER, shard), this::control);
    }

    /**
     * A handover: {@code export} takes every held event out, each conversation in order, and replies with them
     * (the new owner holds them on, under its own bounds); a Buffer installs what another node exported.
     */
    private void control(io.vertx.core.eventbus.Message<Object> msg) {
      if (msg.body() instanceof io.vertx.core.buffer.Buffer held) {
        long now = now();
        for (PipelineEvent event : io.switchboard.codecs.EventBatches.decode(held)) {
          buffer.offer(event, now);
        }
      } else {
        exporting = new ArrayList<>();
        buffer.flushAll();
        msg.reply(io.switchboard.codecs.EventBatches.encode(exporting));
        exporting = null;
      }
      depth.set(buffer.bufferedEvents());
      rearm();
      if (msg.body() instanceof io.vertx.core.buffer.Buffer) {
        msg.reply(null);
      }
    }

    void flush() {
      buffer.flushAll();
      depth.set(buffer.bufferedEvents());
      rearm();
    }

    @Override
    public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
      if (exporting != null) {
        exporting.add(event);
        return;
      }
      meters.released(cause, heldMillis);
      vertx.eventBus().send(stateAddress, event, Bus.LOCAL);
    }

    @Override
    public boolean late(PipelineEvent event, long delayMillis) {
      // An event replayed only to rebuild state was dead-lettered or delivered before the restart already.
      if (settings.deadLetterLate() && event.replay() != Replay.RESTORE_ONLY) {
        meters.late("late_dead_lettered", event.source(), delayMillis);
        DeadLetters.send(vertx, DeadLetters.of(event, DeadLetter.Stage.REORDER, DeadLetter.Reason.LATE_EVENT,
                "event time " + event.eventTime() + " is earlier than an already released event of conversation "
                    + event.conversationId() + "; it arrived " + delayMillis + " ms after a later event"))
            .onFailure(e -> LOG.error("dead letter for late event [{}] failed", event.key(), e));
        return false;
      }
      meters.late("late_flagged", event.source(), delayMillis);
      vertx.eventBus().send(stateAddress, event, Bus.LOCAL);
      return true;
    }
  }
}
