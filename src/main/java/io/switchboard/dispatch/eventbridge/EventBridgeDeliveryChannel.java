package io.switchboard.dispatch.eventbridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.dispatch.eventbridge.EntryFactory.SizedEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.eventbridge.EventBridgeAsyncClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Delivers to an {@code eventbridge} target: PutEvents through the AWS SDK's async client, up to 10 entries per
 * request and within {@link EventBridgeTargetOptions#maxEntryBytes()} per request.
 *
 * <p>Each delivery becomes one entry ({@link EntryFactory}) and gets its own {@link Outcome}: a request can partly
 * fail, and only the failed entries go back to the dispatcher's retry policy, so only they are sent again. Entries
 * from successive {@link #deliver} calls share a request: one goes out when it holds 10 entries, when the next entry
 * would not fit its size limit, or {@code lingerMs} after its first entry arrived. The dispatcher keeps at most one
 * delivery per conversation in flight, so a request never holds two events of one conversation, and sharing cannot
 * reorder a conversation. An entry over the limit is refused here, unsent, as {@code EntryTooLarge}, since
 * EventBridge would refuse the whole request it was in. If EventBridge still refuses a request of several entries as
 * a whole ({@code ValidationException}, e.g. a service limit below the configured one), its entries are sent once
 * more one by one, so that only the culprit is dead-lettered.
 *
 * <p>SDK completions arrive on an SDK thread; every one hops back to the dispatcher's context before touching
 * anything, so outcomes are completed on the event loop that called {@link #deliver}, which is the only one that
 * touches this channel. {@link #deliver} never throws and never returns a failed future. {@link #start()} builds
 * the client and resolves credentials on a worker thread and fails when there are none; it does not call
 * EventBridge, so an unreachable endpoint cannot fail the deployment (its deliveries fail and are retried instead).
 */
public final class EventBridgeDeliveryChannel implements DeliveryChannel {

  private static final Logger LOG = LoggerFactory.getLogger(EventBridgeDeliveryChannel.class);

  private final Vertx vertx;
  private final String targetId;
  private final EventBridgeTargetOptions options;
  private final Function<String, String> env;
  private final EntryFactory entries;
  private final EventBridgeMetrics metrics;
  private final PendingRequest<Waiting> pending;
  private EventBridgeClients.Built sdk;
  private Context context;
  private long lingerTimer = -1;
  private boolean stopped;

  /** The outcomes of one {@link #deliver} call, completed once every entry has its own. */
  private static final class Answer {
    private final Outcome[] outcomes;
    private final Promise<List<Outcome>> promise = Promise.promise();
    private int missing;

    Answer(int size) {
      outcomes = new Outcome[size];
      missing = size;
    }

    void set(int slot, Outcome outcome) {
      outcomes[slot] = outcome;
      if (--missing == 0) {
        promise.complete(Arrays.asList(outcomes));
      }
    }
  }

  /** An entry waiting for its request, and where its outcome goes. */
  private record Waiting(SizedEntry entry, Answer answer, int slot) {
    void answer(Outcome outcome) {
      answer.set(slot, outcome);
    }
  }

  /**
   * @param env      environment lookup for {@code staticCredentialsFromEnv} (tests pass their own)
   * @param registry where the target's meters go
   */
  public EventBridgeDeliveryChannel(Vertx vertx, String targetId, EventBridgeTargetOptions options,
                                    Function<String, String> env, MeterRegistry registry) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
    this.env = Objects.requireNonNull(env, "env");
    this.entries = new EntryFactory(options);
    this.metrics = new EventBridgeMetrics(registry, targetId);
    this.pending = new PendingRequest<>(options.maxEntryBytes());
  }

  /** The channel of a configured target: credentials from the process environment. */
  public static EventBridgeDeliveryChannel create(Vertx vertx, String targetId, EventBridgeTargetOptions options,
                                                  MeterRegistry registry) {
    return new EventBridgeDeliveryChannel(vertx, targetId, options, System::getenv, registry);
  }

  @Override
  public int maxBatch() {
    return PendingRequest.MAX_ENTRIES;
  }

  @Override
  public Future<Void> start() {
    if (stopped) {
      return Future.failedFuture("eventbridge target [" + targetId + "]: channel already stopped");
    }
    if (sdk != null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> EventBridgeClients.create(options, env))
        .recover(e -> Future.failedFuture(new IllegalStateException("eventbridge target [" + targetId
            + "] cannot start: " + e.getMessage(), e)))
        .compose(built -> {
          if (stopped) {
            return vertx.executeBlocking(() -> {
              built.close();
              return null;
            }).compose(v -> Future.failedFuture("eventbridge target [" + targetId + "]: stopped while starting"));
          }
          sdk = built;
          LOG.info("eventbridge target [{}] ready: bus [{}], source [{}], detail-type [{}], detail {}, region [{}], "
                  + "endpoint [{}], maxEntryBytes {}, timeout {} ms, linger {} ms, credentials {}", targetId,
              options.eventBus(), options.source(), options.detailType() == null ? "genesys" : options.detailType(),
              options.detail().name().toLowerCase(Locale.ROOT),
              options.region() == null ? "default chain" : options.region(),
              options.endpoint() == null ? "AWS" : options.endpoint(), options.maxEntryBytes(), options.timeoutMs(),
              options.lingerMs(), options.staticCredentials() == null ? "default chain"
                  : "static from environment variables " + options.staticCredentials().accessKeyId() + "/"
                  + options.staticCredentials().secretAccessKey());
          return Future.<Void>succeededFuture();
        });
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    if (batch.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Answer answer = new Answer(batch.size());
    if (sdk == null) {
      Outcome failed = Outcome.transport(TransportError.OTHER, stopped ? "channel stopped" : "channel not started");
      for (int i = 0; i < batch.size(); i++) {
        answer.set(i, failed);
      }
      return answer.promise.future();
    }
    context = vertx.getOrCreateContext();
    for (int i = 0; i < batch.size(); i++) {
      SizedEntry entry;
      try {
        entry = entries.entry(batch.get(i));
      } catch (RuntimeException e) {
        metrics.failed("InvalidPayload", 1);
        answer.set(i, Outcome.status(400, null, "cannot build a PutEvents entry: " + e.getMessage()));
        continue;
      }
      if (entry.size() > options.maxEntryBytes()) {
        metrics.failed(AwsOutcomes.ENTRY_TOO_LARGE, 1);
        answer.set(i, AwsOutcomes.failed(AwsOutcomes.ENTRY_TOO_LARGE, "entry is " + entry.size()
            + " bytes as EventBridge counts them (Source + DetailType + Detail + 14 for Time), over maxEntryBytes "
            + options.maxEntryBytes() + "; not sent", null));
        continue;
      }
      enqueue(new Waiting(entry, answer, i));
    }
    if (options.lingerMs() == 0) {
      send();
    }
    return answer.promise.future();
  }

  /**
   * Closes the client on a worker thread. Entries still waiting for their request fail as transport errors, as do
   * calls in flight and later deliveries.
   */
  @Override
  public Future<Void> stop() {
    stopped = true;
    cancelLinger();
    Outcome failed = Outcome.transport(TransportError.OTHER, "channel stopped");
    pending.take().forEach(waiting -> waiting.answer(failed));
    EventBridgeClients.Built closing = sdk;
    sdk = null;
    if (closing == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      closing.close();
      return null;
    }).mapEmpty();
  }

  private void enqueue(Waiting waiting) {
    if (!pending.fits(waiting.entry().size())) {
      send();
    }
    pending.add(waiting, waiting.entry().size());
    if (pending.full()) {
      send();
    } else if (lingerTimer < 0 && options.lingerMs() > 0) {
      lingerTimer = vertx.setTimer(options.lingerMs(), id -> {
        lingerTimer = -1;
        send();
      });
    }
  }

  private void cancelLinger() {
    if (lingerTimer >= 0) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
  }

  /** Sends what is pending as one request. */
  private void send() {
    cancelLinger();
    if (pending.isEmpty()) {
      return;
    }
    List<Waiting> part = pending.take();
    if (sdk == null) {
      Outcome failed = Outcome.transport(TransportError.OTHER, "channel stopped");
      part.forEach(waiting -> waiting.answer(failed));
      return;
    }
    put(sdk.client(), context, part);
  }

  /** One PutEvents request; answers each of its entries on {@code context}. */
  private void put(EventBridgeAsyncClient client, Context context, List<Waiting> part) {
    PutEventsRequest request = PutEventsRequest.builder()
        .entries(part.stream().map(waiting -> waiting.entry().entry()).toList()).build();
    metrics.sent(part.size());
    long started = System.nanoTime();
    CompletableFuture<PutEventsResponse> call;
    try {
      call = client.putEvents(request);
    } catch (RuntimeException e) {
      call = CompletableFuture.failedFuture(e);
    }
    call.whenComplete((response, failure) -> context.runOnContext(v -> {
      metrics.answered(Duration.ofNanos(System.nanoTime() - started));
      if (failure == null) {
        record(part, response);
      } else if (part.size() > 1 && AwsOutcomes.isValidation(failure)) {
        LOG.warn("eventbridge target [{}] PutEvents of {} entries refused as a whole ({}): sending them one by one",
            targetId, part.size(), AwsOutcomes.ofFailure(failure).describe());
        part.forEach(waiting -> put(client, context, List.of(waiting)));
      } else {
        Outcome outcome = AwsOutcomes.ofFailure(failure);
        metrics.failed(AwsOutcomes.errorCode(failure), part.size());
        LOG.debug("eventbridge target [{}] PutEvents of {} entries failed: {}", targetId, part.size(),
            outcome.describe());
        part.forEach(waiting -> waiting.answer(outcome));
      }
    }));
  }

  private void record(List<Waiting> part, PutEventsResponse response) {
    List<PutEventsResultEntry> results = response.entries();
    int accepted = 0;
    for (int k = 0; k < part.size(); k++) {
      Outcome outcome;
      if (k < results.size()) {
        PutEventsResultEntry result = results.get(k);
        outcome = AwsOutcomes.ofEntry(result);
        if (result.errorCode() != null) {
          metrics.failed(result.errorCode(), 1);
        } else if (result.eventId() == null) {
          metrics.failed("MissingResult", 1);
        } else {
          accepted++;
        }
      } else {
        // The API promises one result per entry, in order; without it nothing is known, and retrying is safe.
        outcome = Outcome.status(500, null, "PutEvents answered " + results.size() + " results for " + part.size()
            + " entries");
        metrics.failed("MissingResult", 1);
      }
      part.get(k).answer(outcome);
    }
    metrics.put(accepted);
    if (accepted < part.size()) {
      LOG.debug("eventbridge target [{}] PutEvents: {} of {} entries failed", targetId, part.size() - accepted,
          part.size());
    }
  }
}
