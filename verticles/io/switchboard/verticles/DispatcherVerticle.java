package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.DispatchClock;
import io.switchboard.dispatch.DispatchEffects;
import io.switchboard.dispatch.EventSelection;
import io.switchboard.dispatch.TargetDispatcher;
import io.switchboard.dispatch.TargetType;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One instance of one target's dispatcher: a shell around a {@link TargetDispatcher}. It consumes the instance's own
 * address (senders route each event to the instance owning its ordering key, see {@code TargetRoutes}), answers
 * status requests, keeps the dispatcher's one timer, reports its gauges, and hands settlements and dead letters to
 * the bus. Lifecycle: the channel starts, then the overflow opens, then events are taken; stop hands what is still
 * queued to the overflow.
 */
public final class DispatcherVerticle extends VerticleBase implements DispatchEffects {

  private final TargetConfig target;
  private final int settlementParts;
  private final Overflow.Factory overflowFactory;

  private DeliveryChannel channel;
  private Overflow overflow;
  private TargetDispatcher dispatcher;
  private MessageConsumer<ProcessedEvent> consumer;
  private long timerId = -1;
  private final List<Long> periodic = new ArrayList<>();
  private Future<Void> closing;

  /**
   * @param settlementParts how many targets each event is dispatched to (each reports one part)
   */
  public DispatcherVerticle(TargetConfig target, int settlementParts, Overflow.Factory overflowFactory) {
    this.target = Objects.requireNonNull(target, "target");
    this.settlementParts = settlementParts;
    this.overflowFactory = Objects.requireNonNull(overflowFactory, "overflowFactory");
  }

  @Override
  public Future<?> start() {
    StageInstance me = StageInstance.from(config());
    TargetType<?> type = TargetTypes.BUILT_IN.of(target);
    EventSelection selection = new EventSelection(target, type.orderingKey(target));
    channel = type.channel(vertx, target);
    // The overflow may wake us only once it is open, on a later turn of this event loop: dispatcher is set by then.
    return channel.start()
        .compose(v -> overflowFactory.open(vertx, target, me.index(), () -> dispatcher.pump(), selection::delivery))
        .compose(opened -> {
          overflow = opened;
          dispatcher = new TargetDispatcher(target, selection, channel, overflow, DispatchClock.SYSTEM, this,
              new TargetMeters(target.id()));
          consumer = vertx.eventBus().localConsumer(Addresses.dispatch(me.node(), target.id(), me.index()),
              msg -> dispatcher.onEvent(msg.body()));
          MessageConsumer<Object> status = vertx.eventBus().localConsumer(
              Addresses.dispatchStatus(me.node(), target.id(), me.index()),
              msg -> msg.reply(msg.body() instanceof io.vertx.core.json.JsonObject ask && ask.containsKey("shards")
                  ? new io.vertx.core.json.JsonObject().put("holding", holding(ask.getJsonArray("shards"), me.shards()))
                  : dispatcher.status().put("instance", me.index())));
          MessageConsumer<Object> park = vertx.eventBus().localConsumer(
              Addresses.dispatchPark(me.node(), target.id(), me.index()),
              msg -> closeOverflow(true).onComplete(ar -> msg.reply(ar.succeeded())));
          registerGauges(target.id() + "#" + me.index());
          // Overflow redrive is driven by room in the queue; a slow poll covers a target that recovers while idle.
          periodic.add(vertx.setPeriodic(500, id -> dispatcher.pump()));
          return Future.all(consumer.completion(), status.completion(), park.completion());
        });
  }

  /** Events of conversations in {@code shards} this instance has yet to finish: a handover waits for none. */
  private int holding(io.vertx.core.json.JsonArray shards, int shardCount) {
    java.util.Set<Integer> wanted = new java.util.HashSet<>();
    shards.forEach(shard -> wanted.add(((Number) shard).intValue()));
    return dispatcher.holding(processed -> wanted.contains(
        io.switchboard.bus.Shards.of(processed.event().conversationId(), shardCount)));
  }

  private void registerGauges(String instance) {
    PipelineMetrics.gauge("switchboard.target.queue.depth", "Events queued at a target instance", "instance",
        instance, () -> dispatcher.queued());
    PipelineMetrics.gauge("switchboard.target.inflight", "Deliveries in flight at a target instance", "instance",
        instance, () -> dispatcher.inFlight());
    PipelineMetrics.gauge("switchboard.target.overflow", "Events in a target instance's overflow (parked)",
        "instance", instance, () -> overflow.size());
  }

  @Override
  public Future<?> stop() {
    return closeOverflow(false).compose(v -> channel.stop());
  }

  /**
   * Stops taking events and hands what is still queued to the overflow, once. At the end of a graceful drain
   * ({@code settle}) a durable overflow's parking settles those events, so that the final checkpoint counts them
   * and the next start redrives them from the park instead of replaying them from the journal as well.
   */
  private Future<Void> closeOverflow(boolean settle) {
    if (closing == null) {
      periodic.forEach(vertx::cancelTimer);
      wakeAt(Long.MAX_VALUE);
      List<Delivery> stranded = dispatcher.stop();
      closing = consumer.unregister().compose(v -> overflow.close(stranded)).onSuccess(v -> {
        if (settle && overflow.durable()) {
          for (Delivery delivery : stranded) {
            ProcessedEvent processed = delivery.event();
            Settlements.report(vertx, processed.event().ticket(),
                processed.parts() > 0 ? processed.parts() : settlementParts, Settlement.Outcome.PARKED);
          }
        }
      });
    }
    return closing;
  }

  @Override
  public void settle(Ticket ticket, int parts, Settlement.Outcome outcome) {
    Settlements.report(vertx, ticket, parts, outcome);
  }

  @Override
  public int settlementParts() {
    return settlementParts;
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return letter.settlesAnEvent() ? DeadLetters.send(vertx, letter) : DeadLetters.sendUntilTaken(vertx, letter);
  }

  @Override
  public void wakeAt(long atMillis) {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    if (atMillis != Long.MAX_VALUE) {
      timerId = vertx.setTimer(Math.max(1, atMillis - System.currentTimeMillis()), id -> {
        timerId = -1;
        dispatcher.wakeUp();
      });
    }
  }
}
