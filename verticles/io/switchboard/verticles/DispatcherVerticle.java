package io.switchboard.verticles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.switchboard.bus.Addresses;
import io.switchboard.bus.Shards;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.Attempt;
import io.switchboard.dispatch.Decision;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.OrderingKey;
import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.PayloadShaper;
import io.switchboard.dispatch.TargetHealth;
import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.switchboard.dispatch.queue.Lease;
import io.switchboard.dispatch.queue.TokenBucket;
import io.switchboard.filter.EventFilter;
import io.switchboard.filter.FilterInput;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One instance of one target's dispatcher: filters the events of the conversations it owns, shapes them,
 * and delivers them through the target's {@link DeliveryChannel} with the target's retry policy, queue
 * bound, concurrency and rate limit. A conversation has at most one event in flight or waiting for a
 * retry here, so a retried event is never overtaken by a later one of its conversation, while other
 * conversations and other targets keep flowing. What cannot be queued goes to the overflow, in order.
 */
public final class DispatcherVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DispatcherVerticle.class);

  private final TargetConfig target;
  private final int settlementParts;
  private final Overflow.Factory overflowFactory;

  private StageInstance me;
  private DeliveryChannel channel;
  private OrderingKey orderingKey;
  private RetryPolicy retry;
  private EventFilter filter;
  private PayloadShaper shaper;
  private KeyedDeliveryQueue<Delivery> queue;
  private TokenBucket bucket;
  private Overflow overflow;
  private TargetHealth health;
  private MessageConsumer<ProcessedEvent> consumer;
  private MessageConsumer<Object> status;
  private long timerId = -1;
  private long timerAt = Long.MAX_VALUE;
  private final List<Long> periodic = new ArrayList<>();
  private Meters meters;

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
    me = StageInstance.from(config());
    filter = EventFilter.from(target.filterNode());
    shaper = new PayloadShaper(target.enriched(), target.sourceRegion());
    queue = new KeyedDeliveryQueue<>(target.queueCapacity(), target.maxInFlight());
    bucket = target.ratePerSecond() > 0 ? TokenBucket.perSecond(target.ratePerSecond(), target.rateBurst()) : null;
    health = new TargetHealth(target.failingAfterMillis());
    meters = new Meters(target.id());
    channel = TargetTypes.BUILT_IN.of(target).channel(vertx, target);
    orderingKey = TargetTypes.BUILT_IN.of(target).orderingKey(target);
    retry = RetryPolicy.from(target.retry());
    return channel.start()
        .compose(v -> overflowFactory.open(vertx, target, me.index(), this::pump,
            (processed, matched) -> delivery(processed, matched, orderingKey.of(processed))))
        .compose(o -> {
          overflow = o;
          consumer = vertx.eventBus().consumer(Addresses.dispatch(target.id()), msg -> onEvent(msg.body()));
          status = vertx.eventBus().consumer(Addresses.dispatchStatus(target.id(), me.index()),
              msg -> msg.reply(status(System.currentTimeMillis())));
          String instance = target.id() + "#" + me.index();
          PipelineMetrics.gauge("switchboard.target.queue.depth", "Events queued at a target instance", "instance",
              instance, () -> queue.size());
          PipelineMetrics.gauge("switchboard.target.inflight", "Deliveries in flight at a target instance", "instance",
              instance, () -> queue.inFlight());
          PipelineMetrics.gauge("switchboard.target.overflow", "Events in a target instance's overflow (parked)",
              "instance", instance, () -> overflow.size());
          // Overflow redrive is driven by room in the queue; a slow poll covers a target that recovers while idle.
          periodic.add(vertx.setPeriodic(500, id -> pump()));
          return Future.all(consumer.completion(), status.completion());
        });
  }

  @Override
  public Future<?> stop() {
    periodic.forEach(vertx::cancelTimer);
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
    }
    // What is still queued and came straight from the pipeline goes to the overflow, which keeps it for the
    // next start when it is durable; redriven events are still in the park log, uncommitted.
    List<Delivery> stranded = queue.drainAll().stream().filter(d -> !d.redriven()).toList();
    if (!stranded.isEmpty()) {
      LOG.info("target [{}] stops with [{}] undelivered events handed to its overflow", target.id(), stranded.size());
    }
    return consumer.unregister().compose(v -> overflow.close(stranded)).compose(v -> channel.stop());
  }

  private void onEvent(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    String key = orderingKey.of(processed);
    if (Shards.of(key, me.instances()) != me.index()) {
      return; // another instance of this target owns the ordering key (by default, the conversation)
    }
    Optional<String> matched;
    try {
      matched = filter.match(() -> FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(),
          event.late()));
    } catch (RuntimeException e) {
      deadLetter(processed, DeadLetter.Reason.INTERNAL_ERROR, "filter could not read the event: " + e.getMessage(), 0,
          System.currentTimeMillis(), true);
      return;
    }
    if (matched.isEmpty()) {
      meters.filtered.increment();
      Settlements.report(vertx, event.ticket(), settlementParts, Settlement.Outcome.FILTERED);
      return;
    }
    Delivery delivery = delivery(processed, matched.get(), key);
    long now = System.currentTimeMillis();
    // Order: while anything waits in the overflow, newer events queue behind it there.
    if (!overflow.isEmpty() || !queue.offer(delivery.orderingKey(), delivery, now)) {
      overflow.add(delivery, this::onOverflowed);
    }
    pump();
  }

  private Delivery delivery(ProcessedEvent processed, String matched, String orderingKey) {
    return new Delivery(processed, shaper.shape(processed, matched), PayloadShaper.idempotencyKey(processed.event()),
        matched, 0, Delivery.NOT_PARKED, orderingKey);
  }

  private void onOverflowed(Delivery delivery, boolean parked) {
    if (parked) {
      Settlements.report(vertx, delivery.event().event().ticket(), settlementParts, Settlement.Outcome.PARKED);
    }
  }

  /** Moves overflow into free queue room, then starts every delivery the queue, rate and concurrency allow. */
  private void pump() {
    long now = System.currentTimeMillis();
    overflow.refill(queue, now);
    while (queue.hasReady(now)) {
      int room = channel.maxBatch();
      if (bucket != null) {
        room = (int) Math.min(room, bucket.available(now));
        if (room == 0) {
          break;
        }
      }
      List<Lease<Delivery>> leases = queue.drainReady(now, room);
      if (leases.isEmpty()) {
        break;
      }
      if (bucket != null) {
        bucket.tryAcquire(now, leases.size());
      }
      send(leases);
    }
    armTimer(now);
  }

  private void send(List<Lease<Delivery>> all) {
    // An event that aged past the target's max event age while it waited (queued or parked) is not sent:
    // it becomes an ordinary dead letter, as EventBridge does with MaximumEventAgeInSeconds.
    long leasedAt = System.currentTimeMillis();
    List<Lease<Delivery>> leases = new ArrayList<>(all.size());
    for (Lease<Delivery> lease : all) {
      long age = leasedAt - lease.item().event().event().ingestedAt();
      if (age > retry.maxEventAgeMillis()) {
        Delivery delivery = lease.item();
        queue.failedPermanently(lease);
        overflow.finished(delivery);
        LOG.warn("event [{}] for [{}] is {} s old, past maxEventAgeSeconds: dead-lettered without sending",
            delivery.event().event().key(), target.id(), age / 1000);
        deadLetter(delivery.event(), DeadLetter.Reason.RETRIES_EXHAUSTED, "max event age exceeded while waiting: "
            + age / 1000 + " s > " + retry.maxEventAgeMillis() / 1000 + " s", lease.attempt() - 1,
            lease.firstAttemptAt(), !delivery.redriven());
      } else {
        leases.add(lease);
      }
    }
    if (leases.isEmpty()) {
      return;
    }
    List<Delivery> batch = new ArrayList<>(leases.size());
    for (Lease<Delivery> lease : leases) {
      batch.add(lease.item().attempt(lease.attempt()));
    }
    long started = System.nanoTime();
    Future<List<Outcome>> sent;
    try {
      sent = channel.deliver(batch);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e);
    }
    sent.onComplete(ar -> {
      meters.attemptLatency.record(Duration.ofNanos(System.nanoTime() - started));
      long now = System.currentTimeMillis();
      for (int i = 0; i < leases.size(); i++) {
        Outcome outcome = ar.succeeded() && ar.result().size() > i ? ar.result().get(i)
            : Outcome.transport(Outcome.TransportError.OTHER, ar.failed() ? String.valueOf(ar.cause()) : "no outcome");
        settle(leases.get(i), outcome, now);
      }
      pump();
    });
  }

  private void settle(Lease<Delivery> lease, Outcome outcome, long now) {
    Delivery delivery = lease.item();
    PipelineEvent event = delivery.event().event();
    Decision decision = retry.decide(new Attempt(lease.attempt(), event.ingestedAt(), now, outcome));
    if (decision instanceof Decision.Success) {
      queue.succeeded(lease);
      overflow.finished(delivery);
      if (health.inFailure()) {
        // The target answers again: bring the backed-off retries forward instead of letting them trickle in.
        int expedited = queue.expediteRetries(now);
        if (expedited > 0) {
          LOG.info("target [{}] recovered: [{}] retries brought forward", target.id(), expedited);
        }
      }
      health.success(now);
      meters.delivered.increment();
      meters.endToEnd.record(Duration.ofMillis(Math.max(0, now - event.ingestedAt())));
      if (!delivery.redriven()) {
        Settlements.report(vertx, event.ticket(), settlementParts, Settlement.Outcome.DELIVERED);
      }
    } else if (decision instanceof Decision.RetryAt retry) {
      queue.retryAt(lease, retry.atMillis());
      health.failure(now, outcome.describe());
      meters.retried.increment();
      LOG.debug("delivery to [{}] of event [{}] failed ({}), retry in {} ms", target.id(), event.key(),
          outcome.describe(), retry.atMillis() - now);
    } else if (decision instanceof Decision.DeadLetter dead) {
      queue.failedPermanently(lease);
      health.failure(now, outcome.describe());
      overflow.finished(delivery);
      LOG.warn("delivery to [{}] of event [{}] of conversation [{}] dead-lettered: {}", target.id(), event.key(),
          event.conversationId(), dead.why());
      deadLetter(delivery.event(), dead.reason(), dead.why(), lease.attempt(), lease.firstAttemptAt(),
          !delivery.redriven());
    }
  }

  /** @param settle whether this dispatcher still owes the event's source a settlement report */
  private void deadLetter(ProcessedEvent processed, DeadLetter.Reason reason, String why, int attempts, long firstAt,
                          boolean settle) {
    PipelineEvent event = processed.event();
    long now = System.currentTimeMillis();
    meters.deadLettered.increment();
    DeadLetter letter = new DeadLetter(event.ticket(), DeadLetter.Stage.DISPATCH, reason, why, target.id(),
        event.eventId(), event.conversationId(), attempts, firstAt, now, now, event.payload());
    DeadLetters.send(vertx, letter)
        .onFailure(e -> LOG.error("dead letter for [{}] of event [{}] failed", target.id(), event.key(), e))
        .onComplete(ar -> {
          if (settle) {
            Settlements.report(vertx, event.ticket(), settlementParts, Settlement.Outcome.DEAD_LETTERED);
          }
        });
  }

  /** Keeps one timer armed at the next retry (or rate-limit) time. */
  private void armTimer(long now) {
    long at = queue.nextWakeupMillis();
    if (bucket != null && queue.hasReady(now)) {
      // Ready work held back by the rate limit: wake when the next token is due.
      at = Math.min(at, now + Math.max(1, bucket.available(now) > 0 ? 1 : millisToNextToken(now)));
    }
    if (at == timerAt) {
      return;
    }
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
    timerAt = at;
    if (at != Long.MAX_VALUE) {
      timerId = vertx.setTimer(Math.max(1, at - now), id -> {
        timerId = -1;
        timerAt = Long.MAX_VALUE;
        pump();
      });
    }
  }

  private long millisToNextToken(long now) {
    return Math.max(1, 1000 / Math.max(1, target.ratePerSecond()));
  }

  private JsonObject status(long now) {
    return health.toJson(now).put("target", target.id()).put("instance", me.index())
        .put("queued", queue.size()).put("inFlight", queue.inFlight()).put("waitingForRetry", queue.waitingForRetry())
        .put("overflow", overflow.size());
  }

  /** Per-target meters, looked up once. */
  private static final class Meters {
    final Counter delivered;
    final Counter retried;
    final Counter deadLettered;
    final Counter filtered;
    final Timer attemptLatency;
    final Timer endToEnd;

    Meters(String target) {
      var registry = PipelineMetrics.registry();
      delivered = Counter.builder("switchboard.delivered").description("Events delivered, by target")
          .tag("target", target).register(registry);
      retried = Counter.builder("switchboard.target.retries").description("Delivery attempts that will be retried")
          .tag("target", target).register(registry);
      deadLettered = Counter.builder("switchboard.target.deadlettered").description("Events a target dead-lettered")
          .tag("target", target).register(registry);
      filtered = Counter.builder("switchboard.target.filtered").description("Events a target's filter left out")
          .tag("target", target).register(registry);
      attemptLatency = Timer.builder("switchboard.target.attempt.latency").description("One delivery attempt (a batch)")
          .tag("target", target).publishPercentileHistogram().register(registry);
      endToEnd = Timer.builder("switchboard.end.to.end.latency").description("Ingest to delivery latency")
          .tag("target", target).publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
          .register(registry);
    }
  }
}
