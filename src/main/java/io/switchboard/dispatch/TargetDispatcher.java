package io.switchboard.dispatch;

import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.switchboard.dispatch.queue.Lease;
import io.switchboard.dispatch.queue.TokenBucket;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One instance of one target's dispatcher, as plain logic: selects and shapes the events of the ordering keys it
 * owns, and delivers them through the target's {@link DeliveryChannel} with the target's retry policy, queue bound,
 * concurrency and rate limit. A key (by default the conversation) has at most one event in flight or waiting for a
 * retry, so a retried event is never overtaken by a later one of its key, while other keys keep flowing. What cannot
 * be queued goes to the overflow, and newer events queue behind it there, so order holds through parking too.
 *
 * <p>It reads time from a {@link DispatchClock} and reaches out only through its {@link DispatchEffects} (settle,
 * dead-letter, wake me at T) and {@link DispatchMeters}. Single-threaded: every call, channel completions included,
 * must come from the owning verticle's event loop.
 */
public final class TargetDispatcher {

  private static final Logger LOG = LoggerFactory.getLogger(TargetDispatcher.class);

  private final String targetId;
  private final long ratePerSecond;
  private final RetryPolicy retry;
  private final EventSelection selection;
  private final DeliveryChannel channel;
  private final Overflow overflow;
  private final DispatchClock clock;
  private final DispatchEffects effects;
  private final DispatchMeters meters;
  private final KeyedDeliveryQueue<Delivery> queue;
  /** Null without a rate limit. */
  private final TokenBucket bucket;
  private final TargetHealth health;
  /** When the effects were last asked to wake us; {@link Long#MAX_VALUE} for never. */
  private long wakeAt = Long.MAX_VALUE;

  public TargetDispatcher(TargetConfig target, EventSelection selection, DeliveryChannel channel, Overflow overflow,
                          DispatchClock clock, DispatchEffects effects, DispatchMeters meters) {
    this.targetId = target.id();
    this.ratePerSecond = target.ratePerSecond();
    this.retry = RetryPolicy.from(target.retry());
    this.selection = Objects.requireNonNull(selection, "selection");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.overflow = Objects.requireNonNull(overflow, "overflow");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.effects = Objects.requireNonNull(effects, "effects");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.queue = new KeyedDeliveryQueue<>(target.queueCapacity(), target.maxInFlight());
    this.bucket = ratePerSecond > 0 ? TokenBucket.perSecond(ratePerSecond, target.rateBurst()) : null;
    this.health = new TargetHealth(target.failingAfterMillis());
  }

  /** An event of a key this instance owns: filtered, shaped, queued (or overflowed) and sent when allowed. */
  public void onEvent(ProcessedEvent processed) {
    Optional<String> matched;
    try {
      // The state stage matched every target's filter at once; a replay or an older parked event did not.
      matched = processed.matched() != null ? Optional.of(processed.matched()) : selection.match(processed);
    } catch (RuntimeException e) {
      deadLetter(processed, DeadLetter.Reason.INTERNAL_ERROR, "filter could not read the event: " + e.getMessage(), 0,
          clock.millis(), true);
      return;
    }
    if (matched.isEmpty()) {
      meters.filtered();
      effects.settle(processed.event().ticket(), partsOf(processed), Settlement.Outcome.FILTERED);
      return;
    }
    Delivery delivery = selection.delivery(processed, matched.get());
    // Order: while anything waits in the overflow, newer events queue behind it there.
    if (!overflow.isEmpty() || !queue.offer(delivery.orderingKey(), delivery, clock.millis())) {
      overflow.add(delivery, this::onOverflowed);
    }
    pump();
  }

  private void onOverflowed(Delivery delivery, boolean parked) {
    if (parked) {
      effects.settle(delivery.event().event().ticket(), partsOf(delivery.event()), Settlement.Outcome.PARKED);
    }
  }

  /** The time asked of {@link DispatchEffects#wakeAt} has come. */
  public void wakeUp() {
    wakeAt = Long.MAX_VALUE;
    pump();
  }

  /** Moves overflow into free queue room, then starts every delivery the queue, rate and concurrency allow. */
  public void pump() {
    long now = clock.millis();
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
    askToWake(now);
  }

  private void send(List<Lease<Delivery>> all) {
    List<Lease<Delivery>> leases = withinMaxAge(all);
    if (leases.isEmpty()) {
      return;
    }
    List<Delivery> batch = new ArrayList<>(leases.size());
    for (Lease<Delivery> lease : leases) {
      batch.add(lease.item().attempt(lease.attempt()));
    }
    long started = clock.nanos();
    Future<List<Outcome>> sent;
    try {
      sent = channel.deliver(batch);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e); // a channel must not throw; if one does, it is a failed attempt, not a crash
    }
    sent.onComplete(ar -> {
      meters.attempted(clock.nanos() - started);
      long now = clock.millis();
      for (int i = 0; i < leases.size(); i++) {
        Outcome outcome = ar.succeeded() && ar.result().size() > i ? ar.result().get(i)
            : Outcome.transport(Outcome.TransportError.OTHER, ar.failed() ? String.valueOf(ar.cause()) : "no outcome");
        settle(leases.get(i), outcome, now);
      }
      pump();
    });
  }

  /**
   * The leases still young enough to send. One that aged past the target's max event age while it waited (queued or
   * parked) is not sent: it becomes an ordinary dead letter, as EventBridge does with MaximumEventAgeInSeconds.
   */
  private List<Lease<Delivery>> withinMaxAge(List<Lease<Delivery>> all) {
    long leasedAt = clock.millis();
    List<Lease<Delivery>> young = new ArrayList<>(all.size());
    for (Lease<Delivery> lease : all) {
      long age = leasedAt - lease.item().event().event().ingestedAt();
      if (age <= retry.maxEventAgeMillis()) {
        young.add(lease);
        continue;
      }
      Delivery delivery = lease.item();
      queue.failedPermanently(lease);
      LOG.warn("event [{}] for [{}] is {} s old, past maxEventAgeSeconds: dead-lettered without sending",
          delivery.event().event().key(), targetId, age / 1000);
      deadLetter(delivery, DeadLetter.Reason.RETRIES_EXHAUSTED, "max event age exceeded while waiting: "
          + age / 1000 + " s > " + retry.maxEventAgeMillis() / 1000 + " s", lease.attempt() - 1,
          lease.firstAttemptAt());
    }
    return young;
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
          LOG.info("target [{}] recovered: [{}] retries brought forward", targetId, expedited);
        }
      }
      health.success(now);
      meters.delivered(Math.max(0, now - event.ingestedAt()));
      if (!delivery.redriven()) {
        effects.settle(event.ticket(), partsOf(delivery.event()), Settlement.Outcome.DELIVERED);
      }
    } else if (decision instanceof Decision.RetryAt retryAt) {
      queue.retryAt(lease, retryAt.atMillis());
      health.failure(now, outcome.describe());
      meters.retried();
      LOG.debug("delivery to [{}] of event [{}] failed ({}), retry in {} ms", targetId, event.key(),
          outcome.describe(), retryAt.atMillis() - now);
    } else if (decision instanceof Decision.DeadLetter dead) {
      queue.failedPermanently(lease);
      health.failure(now, outcome.describe());
      LOG.warn("delivery to [{}] of event [{}] of conversation [{}] dead-lettered: {}", targetId, event.key(),
          event.conversationId(), dead.why());
      deadLetter(delivery, dead.reason(), dead.why(), lease.attempt(), lease.firstAttemptAt());
    }
  }

  /**
   * Dead-letters a delivery the queue gave up on. A redriven one was settled when it was parked, so its letter
   * settles nothing, and its park log holds the only other copy: it is committed there only once the DLQ writer
   * took the letter (the effects offer it again until then). Until that batch is committed no further one is
   * redriven, which bounds what waits on an unwritable DLQ to one batch, durably parked meanwhile.
   */
  private void deadLetter(Delivery delivery, DeadLetter.Reason reason, String why, int attempts, long firstAt) {
    boolean redriven = delivery.redriven();
    Future<Void> taken = deadLetter(delivery.event(), reason, why, attempts, firstAt, !redriven);
    if (redriven) {
      taken.onSuccess(v -> overflow.finished(delivery));
    } else {
      overflow.finished(delivery);
    }
  }

  /**
   * @param settle whether the event's source still waits for this target's part: the DLQ writer reports it once
   *               the letter is written (a redriven delivery was settled when it was parked)
   */
  private Future<Void> deadLetter(ProcessedEvent processed, DeadLetter.Reason reason, String why, int attempts,
                                  long firstAt, boolean settle) {
    PipelineEvent event = processed.event();
    long now = clock.millis();
    meters.deadLettered();
    DeadLetter letter = new DeadLetter(event.ticket(), DeadLetter.Stage.DISPATCH, reason, why, targetId,
        event.eventId(), event.conversationId(), attempts, firstAt, now, now, event.payload(),
        settle ? partsOf(processed) : 0);
    return effects.deadLetter(letter)
        .onFailure(e -> LOG.error("dead letter for [{}] of event [{}] failed", targetId, event.key(), e));
  }

  /** How many targets' reports settle the event: as the state stage counted them, else every target. */
  private int partsOf(ProcessedEvent processed) {
    return processed.parts() > 0 ? processed.parts() : effects.settlementParts();
  }

  /** Keeps one wake-up requested at the next retry (or rate-limit) time. */
  private void askToWake(long now) {
    long at = queue.nextWakeupMillis();
    if (bucket != null && queue.hasReady(now)) {
      // Ready work held back by the rate limit: wake when the next token is due.
      at = Math.min(at, now + Math.max(1, bucket.available(now) > 0 ? 1 : millisToNextToken()));
    }
    if (at != wakeAt) {
      wakeAt = at;
      effects.wakeAt(at);
    }
  }

  private long millisToNextToken() {
    return Math.max(1, 1000 / Math.max(1, ratePerSecond));
  }

  /**
   * Stops taking part: returns what is still queued and came straight from the pipeline, for the overflow's
   * {@link Overflow#close}, which keeps it for the next start when it is durable. Redriven deliveries are still in
   * the park log, uncommitted, so they are not handed over again.
   */
  public List<Delivery> stop() {
    List<Delivery> stranded = queue.drainAll().stream().filter(d -> !d.redriven()).toList();
    if (!stranded.isEmpty()) {
      LOG.info("target [{}] stops with [{}] undelivered events handed to its overflow", targetId, stranded.size());
    }
    return stranded;
  }

  /**
   * How many events {@code which} selects this instance still has to finish: queued, in flight or waiting for a
   * retry, and in a memory overflow. A durable overflow's are settled (parked) already and not counted.
   */
  public int holding(java.util.function.Predicate<ProcessedEvent> which) {
    return queue.count(delivery -> which.test(delivery.event())) + (overflow.durable() ? 0 : overflow.size());
  }

  public int queued() {
    return queue.size();
  }

  public int inFlight() {
    return queue.inFlight();
  }

  /** Health and queue figures for {@code /ready}. */
  public JsonObject status() {
    long now = clock.millis();
    return health.toJson(now).put("target", targetId).put("queued", queue.size()).put("inFlight", queue.inFlight())
        .put("waitingForRetry", queue.waitingForRetry()).put("overflow", overflow.size());
  }
}
