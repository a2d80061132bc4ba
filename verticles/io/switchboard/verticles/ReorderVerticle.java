package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.ReorderConfig;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSettings;
import io.switchboard.reorder.ReorderSink;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the reorder buffers of its shards: releases each conversation's events to its state shard in
 * eventTime order, at once when the lifecycle expects them, else after the lateness window.
 */
public final class ReorderVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ReorderVerticle.class);

  private final ReorderConfig settings;
  private final LifecycleDefinition lifecycle;
  private final List<ShardBuffer> shards = new ArrayList<>();

  public ReorderVerticle(ReorderConfig settings, LifecycleDefinition lifecycle) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lifecycle = Objects.requireNonNull(lifecycle, "lifecycle");
  }

  @Override
  public Future<?> start() {
    StageInstance me = StageInstance.from(config());
    List<Future<Void>> ready = new ArrayList<>();
    for (int shard : me.ownedShards()) {
      ShardBuffer buffer = new ShardBuffer(shard);
      shards.add(buffer);
      ready.add(buffer.consumer.completion());
      ready.add(buffer.flushConsumer.completion());
    }
    return Future.all(ready);
  }

  @Override
  public Future<?> stop() {
    shards.forEach(ShardBuffer::flush);
    return Future.succeededFuture();
  }

  /** One shard's buffer, its consumer and its single re-armed timer. */
  private final class ShardBuffer implements ReorderSink {
    private final String stateAddress;
    private final ReorderBuffer buffer;
    private final MessageConsumer<PipelineEvent> consumer;
    private final MessageConsumer<Object> flushConsumer;
    private final AtomicInteger depth;
    private long timerId = -1;
    private long timerDeadline = Long.MAX_VALUE;

    ShardBuffer(int shard) {
      this.stateAddress = Addresses.state(shard);
      this.buffer = new ReorderBuffer(
          new ReorderSettings(settings.windowMillis(), settings.maxConversationsPerShard(),
              settings.maxEventsPerConversation(), settings.idleRetentionMillis()),
          conversationId -> new ConversationLifecycle(lifecycle), this);
      this.depth = PipelineMetrics.gaugeInt("switchboard.reorder.buffered", "Events held by the reorder buffer",
          "shard", String.valueOf(shard));
      this.consumer = vertx.eventBus().consumer(Addresses.reorder(shard), msg -> {
        buffer.offer(msg.body(), System.currentTimeMillis());
        afterChange();
      });
      this.flushConsumer = vertx.eventBus().consumer(Addresses.reorderFlush(shard), msg -> {
        flush();
        msg.reply(null);
      });
    }

    void flush() {
      buffer.flushAll();
      afterChange();
    }

    /** Keeps exactly one timer armed at the earliest hold deadline. */
    private void afterChange() {
      depth.set(buffer.bufferedEvents());
      long deadline = buffer.nextDeadline();
      if (deadline == timerDeadline) {
        return;
      }
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
        timerId = -1;
      }
      timerDeadline = deadline;
      if (deadline != Long.MAX_VALUE) {
        long delay = Math.max(1, deadline - System.currentTimeMillis());
        timerId = vertx.setTimer(delay, id -> {
          timerId = -1;
          timerDeadline = Long.MAX_VALUE;
          buffer.advance(System.currentTimeMillis());
          afterChange();
        });
      }
    }

    @Override
    public void release(PipelineEvent event, boolean early) {
      PipelineMetrics.reordered(early ? "early" : "in_order");
      vertx.eventBus().send(stateAddress, event);
    }

    @Override
    public boolean late(PipelineEvent event) {
      if (settings.deadLetterLate()) {
        PipelineMetrics.reordered("late_dead_lettered");
        DeadLetters.send(vertx, DeadLetters.of(event, DeadLetter.Stage.REORDER, DeadLetter.Reason.LATE_EVENT,
                "event time " + event.eventTime() + " is earlier than an already released event of conversation "
                    + event.conversationId()))
            .onFailure(e -> LOG.error("dead letter for late event [{}] failed", event.key(), e));
        return false;
      }
      PipelineMetrics.reordered("late_flagged");
      vertx.eventBus().send(stateAddress, event.asLate());
      return true;
    }
  }
}
