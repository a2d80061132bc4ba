package io.switchboard.dispatch.kinesis;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delivers to a {@code kinesis} target with PutRecords through the SDK's async client.
 *
 * <p><b>Batching.</b> Records handed over by {@link #deliver} wait in one {@link RecordBuffer} and leave in
 * requests of up to {@code maxBatch} records and {@code maxRequestBytes} bytes: at once when a request is full,
 * else after {@code lingerMs} (a Vert.x timer, never a blocked thread), and with at most
 * {@code maxRequestsInFlight} requests outstanding. While those are out, records keep arriving and the next
 * request is fuller, so batches grow with load and a lone event waits at most {@code lingerMs}. The dispatcher
 * alone would not batch: it hands over whatever is ready the moment an event arrives, one by one at low
 * traffic, and its {@code queue.maxInFlight} (2000 by default for this type) caps the records held here.
 *
 * <p><b>Order.</b> The target's ordering key is its partition key ({@code TargetTypes} registers it), so the dispatcher's queue never has two records of
 * one key outstanding here: any split into requests, any number of requests in flight and any partial failure
 * keeps each key's order. A failed record goes back to the queue, and the later records of its key wait there
 * until it is written; only failed entries are sent again.
 *
 * <p><b>Failures.</b> Each record's {@link Outcome} follows {@link PutRecordsOutcomes}; records larger than
 * {@code maxRecordBytes} (data plus partition key) are never sent and come back as a 413 whose detail reads
 * "record of N bytes exceeds Kinesis limit M", which the default policy dead-letters as
 * {@code delivery_rejected}. {@link #deliver} never throws and never fails its future.
 *
 * <p><b>Threads.</b> Called only on the dispatcher's event loop; SDK completions arrive on an SDK I/O thread and
 * hop back with {@code runOnContext} before touching any state or completing a future.
 */
public final class KinesisDeliveryChannel implements DeliveryChannel {

  private static final Logger LOG = LoggerFactory.getLogger(KinesisDeliveryChannel.class);

  private final Vertx vertx;
  private final String targetId;
  private final KinesisTargetOptions options;
  private final KinesisMetrics metrics;
  private final RecordBuffer<Pending> buffer;
  private Context context;
  private KinesisClients.Client client;
  private long lingerTimer = -1;
  private int requestsInFlight;
  private boolean failing;
  private boolean stopped;
  private Promise<Void> idle;

  /** @param registry where the target's meters go (the one {@code GET /metrics} scrapes) */
  public KinesisDeliveryChannel(Vertx vertx, String targetId, KinesisTargetOptions options, MeterRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = new KinesisMetrics(registry, targetId);
    this.buffer = new RecordBuffer<>(options.maxBatch(), options.maxRequestBytes(), Pending::bytes);
  }

  @Override
  public int maxBatch() {
    return options.maxBatch();
  }

  /**
   * Builds the client and resolves credentials, off the event loop. Kinesis itself is not contacted, and missing
   * credentials only warn: a stream that is missing or unreachable cannot fail the deployment; its deliveries
   * fail and are retried instead.
   */
  @Override
  public Future<Void> start() {
    if (stopped) {
      return Future.failedFuture("kinesis target [" + targetId + "]: channel already stopped");
    }
    if (client != null) {
      return Future.succeededFuture();
    }
    context = vertx.getOrCreateContext();
    return vertx.executeBlocking(() -> {
      KinesisClients.Client built = KinesisClients.create(options);
      String missing = built.warmUp();
      if (missing != null) {
        LOG.warn("kinesis target [{}]: no AWS credentials found yet; deliveries are retried until there are: {}",
            targetId, missing);
      }
      return built;
    }, false).map(built -> {
      if (stopped) {
        vertx.executeBlocking(() -> {
          built.close();
          return null;
        }, false);
        throw new IllegalStateException("kinesis target [" + targetId + "]: stopped while starting");
      }
      client = built;
      LOG.info("kinesis target [{}] ready: {}", targetId, options);
      return null;
    });
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    List<Future<Outcome>> outcomes = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      outcomes.add(accept(delivery));
    }
    flush(false);
    return Future.all(outcomes).map(all -> all.<Outcome>list());
  }

  /**
   * Stops taking records. Records still waiting here are answered as transport failures without being sent: the
   * dispatcher has already handed them to its overflow, which redelivers them after a restart, so sending them now
   * would only write them twice. Requests in flight get up to {@code timeoutMs} to finish.
   */
  @Override
  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    cancelLinger();
    for (Pending pending : buffer.drain()) {
      pending.result.complete(Outcome.transport(TransportError.OTHER, "channel stopped"));
    }
    KinesisClients.Client closing = client;
    client = null;
    if (closing == null) {
      return Future.succeededFuture();
    }
    idle = Promise.promise();
    if (requestsInFlight == 0) {
      idle.tryComplete();
    }
    return idle.future()
        .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
        .otherwiseEmpty()
        // Closing releases the connection pool and the credentials provider's refresh thread: not on an event loop.
        .compose(v -> vertx.executeBlocking(() -> {
          closing.close();
          return null;
        }, false))
        .mapEmpty();
  }

  private Future<Outcome> accept(Delivery delivery) {
    if (client == null) {
      return Future.succeededFuture(Outcome.transport(TransportError.OTHER,
          stopped ? "channel stopped" : "channel not started"));
    }
    // The ordering key is the partition key (the dispatcher set it through the type's OrderingKey): using it, rather
    // than computing the key again, is what guarantees that the queue's per-key order is the stream's.
    String key = delivery.orderingKey();
    byte[] data = delivery.body().getBytes();
    int bytes = data.length + key.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > options.maxRecordBytes()) {
      metrics.rejected();
      return Future.succeededFuture(Outcome.mapped(413, "record of " + bytes + " bytes exceeds Kinesis limit "
          + options.maxRecordBytes() + " (maxRecordBytes; data " + data.length + " + partition key)"));
    }
    PutRecordsRequestEntry entry = PutRecordsRequestEntry.builder()
        .partitionKey(key)
        .data(SdkBytes.fromByteArrayUnsafe(data))
        .build();
    Pending pending = new Pending(entry, bytes, Promise.promise());
    buffer.add(pending);
    return pending.result.future();
  }

  /** Sends what may go now; {@code lingered} when the records have waited long enough to go in a partial request. */
  private void flush(boolean lingered) {
    while (!buffer.isEmpty() && requestsInFlight < options.maxRequestsInFlight() && client != null) {
      if (!lingered && options.lingerMs() > 0 && !buffer.hasFullRequest()) {
        armLinger();
        return;
      }
      send(buffer.nextRequest());
    }
    if (buffer.isEmpty()) {
      cancelLinger();
    }
  }

  private void send(List<Pending> request) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>(request.size());
    for (Pending pending : request) {
      entries.add(pending.entry);
    }
    PutRecordsRequest.Builder put = PutRecordsRequest.builder().records(entries);
    if (options.stream() != null) {
      put.streamName(options.stream());
    } else {
      put.streamARN(options.streamArn());
    }
    requestsInFlight++;
    long started = System.nanoTime();
    CompletableFuture<PutRecordsResponse> call;
    try {
      call = client.kinesis().putRecords(put.build());
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((response, failure) -> context.runOnContext(v -> completed(request, response, failure, started)));
  }

  private void completed(List<Pending> request, PutRecordsResponse response, Throwable failure, long started) {
    requestsInFlight--;
    metrics.request(request.size(), System.nanoTime() - started);
    if (failure != null) {
      requestFailed(request, failure);
    } else if (response.records().size() != request.size()) {
      requestFailed(request, new IllegalStateException("PutRecords answered " + response.records().size()
          + " entries for " + request.size() + " records"));
    } else {
      entriesAnswered(request, response);
    }
    if (stopped) {
      if (requestsInFlight == 0 && idle != null) {
        idle.tryComplete();
      }
      return;
    }
    // Whatever waits now has waited at least one round trip: send it without a further linger.
    flush(true);
  }

  private void entriesAnswered(List<Pending> request, PutRecordsResponse response) {
    int failed = 0;
    Outcome firstFailure = null;
    for (int i = 0; i < request.size(); i++) {
      PutRecordsResultEntry entry = response.records().get(i);
      Outcome outcome = PutRecordsOutcomes.entry(entry);
      if (entry.errorCode() != null || entry.sequenceNumber() == null) {
        failed++;
        firstFailure = firstFailure == null ? outcome : firstFailure;
        String code = entry.errorCode() == null ? "NoSequenceNumber" : entry.errorCode();
        metrics.failed(code, 1);
        if (PutRecordsOutcomes.THROUGHPUT_EXCEEDED.equals(code)) {
          metrics.throttled(PutRecordsOutcomes.shardOf(entry.errorMessage()));
        }
      }
      request.get(i).result.complete(outcome);
    }
    metrics.put(request.size() - failed);
    if (failed > 0) {
      LOG.debug("kinesis target [{}] PutRecords: {} of {} records failed, first {}", targetId, failed, request.size(),
          firstFailure.describe());
    }
    recovered();
  }

  private void requestFailed(List<Pending> request, Throwable failure) {
    Outcome outcome = PutRecordsOutcomes.request(failure, options.timeoutMs());
    metrics.failed(PutRecordsOutcomes.errorCode(failure), request.size());
    // One line when the target starts failing and one when it recovers; every failure in between at debug, so an
    // outage does not flood the log with a line per retried batch.
    if (!failing) {
      failing = true;
      LOG.warn("kinesis target [{}] PutRecords of {} records to [{}] failed: {}", targetId, request.size(),
          options.streamLabel(), outcome.describe());
    } else {
      LOG.debug("kinesis target [{}] PutRecords of {} records failed again: {}", targetId, request.size(),
          outcome.describe());
    }
    for (Pending pending : request) {
      pending.result.complete(outcome);
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      LOG.info("kinesis target [{}] PutRecords to [{}] succeeds again", targetId, options.streamLabel());
    }
  }

  private void armLinger() {
    if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(options.lingerMs(), id -> {
        lingerTimer = -1;
        flush(true);
      });
    }
  }

  private void cancelLinger() {
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
  }

  /** A record waiting for, or riding in, a request; its outcome completes the dispatcher's item. */
  private record Pending(PutRecordsRequestEntry entry, int bytes, Promise<Outcome> result) {
  }
}
