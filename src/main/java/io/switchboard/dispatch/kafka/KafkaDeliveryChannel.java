package io.switchboard.dispatch.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Delivers to a {@code kafka} target: one record per delivery, through Vert.x's {@link KafkaProducer} around Kafka's
 * idempotent producer ({@code acks=all}).
 *
 * <p><b>Records.</b> Key: the delivery's ordering key (the conversation id, or the {@code key} pointer's value).
 * Value: the delivery's body, as shaped for the target. Headers: the idempotency key (under {@code idempotencyHeader}),
 * {@code conversation-id} and {@code event-type}. Records larger than {@code maxRecordBytes} are never sent and come
 * back as a 413 whose detail says "record too large", which the default policy dead-letters.
 *
 * <p><b>Batching.</b> The producer groups what it holds into one batch per partition (up to {@code batchBytes}, waiting
 * up to {@code lingerMs}) and one request per broker; it holds whatever the dispatcher has in flight, which is why the
 * type's default {@code queue.maxInFlight} is 2000, not 16.
 *
 * <p><b>Order.</b> The record key is the ordering key, so the dispatcher never has two records of one key in flight:
 * a record is sent only once the previous one of its key is acknowledged, and a failed one is retried before any later
 * one of its key is sent. Kafka's partitioner puts a key in one partition, so the partition holds each key's records
 * in order. The idempotent producer also keeps order and writes once across its own retries.
 *
 * <p><b>Threads.</b> Called only on the dispatcher's event loop. The native producer's {@code send} can block, for up
 * to {@code max.block.ms}, when the topic's metadata is missing or its buffer is full; Vert.x's wrapper runs it (and
 * {@code close}) on a worker thread and completes each send's future back on this event loop, so the event loop never
 * waits. {@code max.block.ms} is kept short ({@link KafkaTargetOptions#maxBlockMs()}) and {@link GatedProducer} makes
 * the sends queued behind a send that waited in vain fail at once, so a missing topic is answered (with a 503) within
 * one such wait rather than one wait per record.
 *
 * <p>{@link #deliver} never throws and never fails its future: every record gets an {@link Outcome}, mapped by
 * {@link KafkaOutcomes}.
 */
public final class KafkaDeliveryChannel implements DeliveryChannel {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeliveryChannel.class);
  /** Numbers the producers of this process, so each dispatcher instance has its own {@code client.id}. */
  private static final AtomicInteger PRODUCERS = new AtomicInteger();

  private final Vertx vertx;
  private final String targetId;
  private final KafkaTargetOptions options;
  private final KafkaMetrics metrics;
  private final String clientId;
  private KafkaProducer<String, byte[]> producer;
  /** While a producer is being built; why the last build failed, and when the next may start (nanoTime). */
  private Future<Void> building;
  private String buildFailure;
  private long nextBuildAt;
  private boolean failing;
  private boolean stopped;

  /** @param registry where the target's meters go (the one {@code GET /metrics} scrapes) */
  public KafkaDeliveryChannel(Vertx vertx, String targetId, KafkaTargetOptions options, MeterRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = new KafkaMetrics(registry, targetId);
    this.clientId = options.clientId() + "-" + PRODUCERS.incrementAndGet();
  }

  @Override
  public int maxBatch() {
    return options.maxBatch();
  }

  /**
   * Builds the producer off the event loop. Kafka itself is not contacted: a cluster or topic that is unreachable or
   * missing cannot fail the deployment; deliveries fail and are retried instead. Nor can a producer that cannot be
   * built yet (Kafka 3.7 resolves the bootstrap host names in its constructor and fails when none resolves): the
   * channel starts without one, answers 503 naming the reason, and tries again at most every {@code max.block.ms}.
   */
  @Override
  public Future<Void> start() {
    if (stopped) {
      return Future.failedFuture("kafka target [" + targetId + "]: channel already stopped");
    }
    return producer != null ? Future.succeededFuture() : build().recover(e -> {
      if (stopped) {
        return Future.failedFuture(e);
      }
      LOG.warn("kafka target [{}]: cannot create its producer yet, deliveries are retried until it can: {}",
          targetId, buildFailure);
      return Future.succeededFuture();
    });
  }

  private Future<Void> build() {
    building = vertx.executeBlocking(() -> new GatedProducer(options.producerConfig(clientId), options.maxBlockMs()),
            false)
        .<Void>map(gated -> {
          if (stopped) {
            vertx.executeBlocking(() -> {
              gated.close(Duration.ZERO);
              return null;
            }, false);
            throw new IllegalStateException("kafka target [" + targetId + "]: stopped while starting");
          }
          producer = KafkaProducer.create(vertx, gated);
          // Each send's own future carries its failure; without a handler the wrapper would also report every failed
          // send to the context as an unhandled exception.
          producer.exceptionHandler(e -> LOG.trace("kafka target [{}]: send failed", targetId, e));
          metrics.bind(gated, clientId);
          LOG.info("kafka target [{}] ready as producer [{}]: {}", targetId, clientId, options);
          return null;
        })
        .onFailure(e -> {
          buildFailure = rootMessage(e);
          nextBuildAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxBlockMs());
        })
        .onComplete(ar -> building = null);
    return building;
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    List<Future<Outcome>> outcomes = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      outcomes.add(send(delivery));
    }
    return Future.all(outcomes).map(all -> all.<Outcome>list());
  }

  /**
   * Stops taking records, then closes the producer on its worker: the records already handed to it are sent and
   * acknowledged first (a flush), for up to {@code requestTimeoutMs}; whatever is still unsent then is dropped by the
   * producer and answered as a transport failure. The dispatcher has handed its in-flight deliveries to its overflow
   * too, so a record may be written now and again after a restart: consumers deduplicate on the idempotency header.
   */
  @Override
  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    KafkaProducer<String, byte[]> closing = producer;
    producer = null;
    if (closing == null) {
      return Future.succeededFuture();
    }
    metrics.unbind();
    long closeMs = options.requestTimeoutMs();
    // Sends still queued on the worker run before the close; each fails fast or within one max.block.ms (GatedProducer).
    return closing.close(closeMs)
        .timeout(closeMs + 2 * options.maxBlockMs(), TimeUnit.MILLISECONDS)
        .onFailure(e -> LOG.warn("kafka target [{}]: producer [{}] did not close cleanly: {}", targetId, clientId,
            e.toString()))
        .otherwiseEmpty();
  }

  private Future<Outcome> send(Delivery delivery) {
    if (producer == null) {
      if (stopped || buildFailure == null) {
        return Future.succeededFuture(Outcome.transport(TransportError.OTHER,
            stopped ? "channel stopped" : "channel not started"));
      }
      if (building == null && System.nanoTime() - nextBuildAt >= 0) {
        build();
      }
      Outcome noProducer = Outcome.mapped(503, "no producer for topic " + options.topic() + ": " + buildFailure);
      metrics.outcome(noProducer, "NoProducer", 0);
      observe(noProducer);
      return Future.succeededFuture(noProducer);
    }
    long started = System.nanoTime();
    PipelineEvent event = delivery.event().event();
    // The ordering key is the record key (the dispatcher set it through the type's OrderingKey): using it, rather than
    // computing the key again, is what guarantees that the queue's per-key order is the partition's.
    String key = delivery.orderingKey();
    byte[] value = delivery.body().getBytes();
    String conversation = event.conversationId();
    String eventType = event.eventType();
    int size = value.length + utf8(key) + utf8(options.idempotencyHeader()) + utf8(delivery.idempotencyKey())
        + utf8(KafkaTargetOptions.CONVERSATION_HEADER) + utf8(conversation)
        + utf8(KafkaTargetOptions.EVENT_TYPE_HEADER) + utf8(eventType);
    if (size > options.maxRecordBytes()) {
      Outcome refused = KafkaOutcomes.tooLarge(size, value.length, options.maxRecordBytes());
      metrics.outcome(refused, KafkaOutcomes.RECORD_TOO_LARGE, 0);
      return Future.succeededFuture(refused);
    }
    KafkaProducerRecord<String, byte[]> record = KafkaProducerRecord.create(options.topic(), key, value)
        .addHeader(options.idempotencyHeader(), delivery.idempotencyKey())
        .addHeader(KafkaTargetOptions.CONVERSATION_HEADER, conversation)
        .addHeader(KafkaTargetOptions.EVENT_TYPE_HEADER, eventType);
    Future<?> sent;
    try {
      sent = producer.send(record);
    } catch (RuntimeException e) {
      sent = Future.failedFuture(e); // e.g. the worker pool refusing work while Vert.x closes
    }
    KafkaProducer<String, byte[]> used = producer;
    return sent.transform(ar -> {
      if (ar.failed() && KafkaOutcomes.isAuthentication(ar.cause())) {
        rebuildAfterAuthenticationFailure(used, ar.cause());
      }
      Outcome outcome = ar.succeeded() ? KafkaOutcomes.success() : KafkaOutcomes.of(ar.cause(), options);
      metrics.outcome(outcome, ar.succeeded() ? null : KafkaOutcomes.errorName(ar.cause()), System.nanoTime() - started);
      observe(outcome);
      return Future.succeededFuture(outcome);
    });
  }

  /**
   * An idempotent producer whose connection was refused for its credentials stays stuck even once they work again
   * (KAFKA-20237: its id initialisation never completes, and records expire). So the producer that failed is closed
   * and a new one built, at most every {@code max.block.ms}; meanwhile records are answered 503 and retried.
   */
  private void rebuildAfterAuthenticationFailure(KafkaProducer<String, byte[]> failed, Throwable cause) {
    if (failed == null || producer != failed || stopped) {
      return; // already replaced
    }
    producer = null;
    metrics.unbind();
    buildFailure = "authentication failed: " + rootMessage(cause);
    nextBuildAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.maxBlockMs());
    LOG.warn("kafka target [{}]: producer [{}] refused by the broker's authentication; building a new one: {}",
        targetId, clientId, buildFailure);
    failed.close(0).onFailure(e -> LOG.debug("kafka target [{}]: closing the refused producer: {}", targetId,
        e.toString()));
  }

  /**
   * One line when the target starts failing and one when it recovers; every failure in between at debug, so an outage
   * does not flood the log with a line per retried record. Rejected records are the dispatcher's to log.
   */
  private void observe(Outcome outcome) {
    int code = outcome instanceof Outcome.Status status ? status.code() : 0;
    if (code >= 200 && code < 300) {
      if (failing) {
        failing = false;
        LOG.info("kafka target [{}] writes to [{}] again", targetId, options.topic());
      }
    } else if (code < 400 || code >= 500) {
      if (!failing) {
        failing = true;
        LOG.warn("kafka target [{}] cannot write to [{}]: {}", targetId, options.topic(), outcome.describe());
      } else {
        LOG.debug("kafka target [{}] write to [{}] failed again: {}", targetId, options.topic(), outcome.describe());
      }
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static int utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
