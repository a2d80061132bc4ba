package io.switchboard.verticles;

import io.micrometer.core.instrument.Counter;
import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.GenesysConfig;
import io.switchboard.config.GenesysPollSourceConfig;
import io.switchboard.genesys.AnalyticsEvents;
import io.switchboard.genesys.GenesysApi;
import io.switchboard.genesys.PollWindows;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.ItemResult;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.message.Replay;
import io.switchboard.park.SnapshotFile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One {@code genesys-poll} source: it queries Genesys Cloud's analytics conversation-details jobs window after
 * window ({@link PollWindows}), maps each returned conversation to lifecycle events ({@link AnalyticsEvents}) and
 * admits them like any other source. Every request goes through {@link GenesysApi}, so the node's token and shared
 * request budget (with its 429 {@code Retry-After} pauses) govern them.
 *
 * <p>Per window: submit the job for {@code start/end}, ask its status every {@code jobPollMs} until FULFILLED (FAILED,
 * EXPIRED or any API failure: the window is asked again later, from its first page), fetch its pages with the cursor,
 * admitting each page's events before fetching the next and fetching none while {@code maxInFlight} events are
 * unsettled, then delete the job. Up to {@code maxWindowsInFlight} jobs run ahead, but pages are admitted in window
 * order, so a conversation's events enter the pipeline in order.
 *
 * <p>No journal: the API is the durable source, and a window is asked again after a crash. The checkpoint (the next
 * window's start, per window, never per page) moves at the node's checkpoints like a Kafka commit: {@code position}
 * captures how far every window is admitted and settled, the dedup and state snapshots are written, and
 * {@code truncate} then writes it atomically with {@link SnapshotFile} to
 * {@code <checkpointDir>/<node>/genesys-poll-<id>.checkpoint}. So the snapshots always cover what lies before the
 * checkpoint, and what a crash loses after it is polled again.
 *
 * <p>The dedup snapshot, though, also remembers events of later windows that had passed dedup but not settled when
 * it was written; polled again as live events they would be dropped as duplicates and never delivered. So after a
 * start every window that was already due (its end at least {@code lag} before the start: anything admitted before a
 * crash was) is admitted as a replay to be delivered ({@link Replay#DELIVER}), which dedup lets through once more for
 * a key restored from its snapshot, and which state delivers again without applying it twice; {@code caught-up} is
 * answered once those windows are admitted, and only then does MainVerticle end dedup's replay. An event may
 * therefore be delivered twice after a restart, under one idempotency key, never lost. It answers the ingest control
 * actions every source answers.
 */
public final class GenesysPollSourceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GenesysPollSourceVerticle.class);
  private static final String SOURCE = "genesys-poll";
  private static final String JOBS = "/api/v2/analytics/conversations/details/jobs";
  private static final long TICK_MILLIS = 50;
  private static final long RETRY_MILLIS = 1_000;
  private static final long MAX_WINDOW_BACKOFF_MILLIS = 60_000;

  private final GenesysPollSourceConfig config;
  private final GenesysConfig genesys;
  private final EventNormalizer normalizer;
  private final ShardMap shardMap;
  private final String sourceId;
  private final long dedupTimeoutMs;
  private JournalledSource source;
  /** The source's tracker (from {@link JournalledSource}), kept at hand for the checkpoint rule. */
  private SettlementTracker tracker;
  private final List<Long> timers = new ArrayList<>();
  /** The job of each window being queried: completes with its id once FULFILLED. */
  private final java.util.Map<PollWindows.Window, Future<String>> jobs = new java.util.IdentityHashMap<>();
  /** Completes once every window due at start is admitted (as a replay): dedup's replay may end then. */
  private final Promise<Void> caughtUp = Promise.promise();
  /** Windows ending by this were due at start, so may have been admitted before a crash. */
  private long replayThrough;
  private Admission admission;
  private PollWindows windows;
  private GenesysApi api;
  private WebClient client;
  private Path checkpointFile;
  /** The window whose pages are being admitted, or null. */
  private PollWindows.Window paging;
  private boolean closing;
  private long captured = -1;
  private long generation;
  private long windowsCompleted;
  private long eventsAdmitted;
  private long apiErrors;
  private String lastError;
  private long lastErrorAt;
  private long failingSince;
  private Counter windowsCounter;
  private Counter eventsCounter;

  /** @param dedupTimeoutMs how long an event waits for its dedup verdict before it is admitted again */
  public GenesysPollSourceVerticle(GenesysPollSourceConfig config, GenesysConfig genesys, EventNormalizer normalizer,
                                   ShardMap shardMap, long dedupTimeoutMs) {
    this.config = Objects.requireNonNull(config, "config");
    this.genesys = Objects.requireNonNull(genesys, "genesys (a genesys-poll source needs the genesys section)");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.sourceId = config.sourceId();
    this.dedupTimeoutMs = dedupTimeoutMs;
  }

  /** Clustered: each poller's checkpoint (next window start, epoch ms) by source id, for whichever member runs it. */
  static final String CLUSTER_CHECKPOINTS = "switchboard.poll-checkpoints";

  @Override
  public Future<?> start() {
    String node = shardMap.localNode();
    checkpointFile = Path.of(config.checkpointDir(), node, sourceId + ".checkpoint");
    Future<JournalledSource> opened = JournalledSource.openUnjournalled(vertx, sourceId, SOURCE, normalizer, shardMap,
        dedupTimeoutMs, () -> new JournalledSource.Transport() {
          @Override
          public Future<JsonObject> listen() {
            GenesysPollSourceVerticle.this.listen();
            return Future.succeededFuture(new JsonObject());
          }

          @Override
          public Future<Void> close() {
            closing = true;
            caughtUp.tryComplete();
            return Future.succeededFuture();
          }

          @Override
          public JsonObject status() {
            return GenesysPollSourceVerticle.this.status();
          }

          @Override
          public Long position() {
            // The number handed back in truncate is this checkpoint's generation.
            captured = windows.checkpointable(tracker::settled);
            return ++generation;
          }

          @Override
          public Future<Void> truncate(long through) {
            return writeCheckpoint(through);
          }

          @Override
          public Future<Void> caughtUp() {
            return caughtUp.future();
          }
        }).onSuccess(source -> {
          this.source = source;
          tracker = source.tracker();
          admission = source.admission();
        });
    var registry = PipelineMetrics.registry();
    windowsCounter = Counter.builder("switchboard.genesys.poll.windows")
        .description("Analytics windows whose every page was admitted").tag("source", sourceId).register(registry);
    eventsCounter = Counter.builder("switchboard.genesys.poll.events")
        .description("Events admitted from analytics windows (first sightings)").tag("source", sourceId)
        .register(registry);
    PipelineMetrics.gauge("switchboard.genesys.poll.checkpoint.lag.seconds",
        "How far the durable checkpoint (end of the last settled window) is behind now", "source", sourceId,
        () -> windows == null ? 0 : (System.currentTimeMillis() - windows.completedThrough()) / 1000.0);
    replayThrough = System.currentTimeMillis() - config.lagSeconds() * 1000L;
    Future<Long> fromFile = vertx.executeBlocking(() -> readCheckpoint().orElse(config.startAt()), false);
    Future<Long> loaded = !vertx.isClustered() ? fromFile
        : fromFile.compose(own -> vertx.sharedData().<String, Long>getAsyncMap(CLUSTER_CHECKPOINTS)
            .compose(map -> map.get(sourceId)).map(shared -> shared == null ? own : Math.max(own, shared)));
    return Future.all(opened, loaded).map(v -> {
      long start = loaded.result();
      windows = new PollWindows(start, config.intervalSeconds() * 1000L, config.overlapSeconds() * 1000L,
          config.lagSeconds() * 1000L);
      LOG.info("genesys-poll source [{}] starts at [{}] ({}), windows of {} s overlapping {} s, {} s behind now",
          sourceId, Instant.ofEpochMilli(start), start == config.startAt() ? "startAt" : "checkpoint",
          config.intervalSeconds(), config.overlapSeconds(), config.lagSeconds());
      checkCaughtUp();
      return v;
    });
  }

  @Override
  public Future<?> stop() {
    timers.forEach(vertx::cancelTimer);
    if (client != null) {
      client.close();
    }
    return source == null ? Future.succeededFuture() : source.close();
  }

  private java.util.Optional<Long> readCheckpoint() throws java.io.IOException {
    return SnapshotFile.read(checkpointFile).map(bytes -> {
      JsonObject json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
      return Instant.parse(json.getString("nextStart")).toEpochMilli();
    });
  }

  private void listen() {
    if (api != null) {
      return;
    }
    client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) genesys.timeoutMs())
        .setIdleTimeout(60).setUserAgent("switchboard"));
    api = new GenesysApi(vertx, client, genesys.hosts().apiBase(), Addresses.genesysAccess(shardMap.localNode()),
        genesys.timeoutMs(), genesys.maxRetryAfterSeconds() * 1000);
    timers.add(vertx.setPeriodic(TICK_MILLIS, id -> pump()));
    pump();
  }

  /** Submits the windows that are due (up to maxWindowsInFlight) and starts paging the oldest ready one. */
  private void pump() {
    if (closing || api == null) {
      return;
    }
    PollWindows.Window window;
    while ((window = windows.take(System.currentTimeMillis(), config.maxWindowsInFlight())) != null) {
      jobs.put(window, submit(window));
    }
    PollWindows.Window head = windows.head();
    if (paging == null && head != null && jobs.containsKey(head)) {
      paging = head;
      jobs.get(head).compose(jobId -> page(head, jobId, null))
          .onSuccess(v -> admittedAll(head))
          .onFailure(e -> windowFailed(head, e));
    }
  }

  /** Submits the window's job and waits until it is FULFILLED; completes with the job id. */
  private Future<String> submit(PollWindows.Window w) {
    JsonObject query = config.filters().copy()
        .put("interval", Instant.ofEpochMilli(w.start()) + "/" + Instant.ofEpochMilli(w.end()));
    return api.post(JOBS, query.toBuffer()).compose(response -> {
      JsonObject body = ok(response, "submit");
      String jobId = body.getString("jobId");
      if (jobId == null) {
        throw new GenesysApi.CallFailed(response.statusCode(), "job submitted without a jobId");
      }
      return awaitFulfilled(jobId);
    });
  }

  private Future<String> awaitFulfilled(String jobId) {
    return api.get(JOBS + "/" + jobId).compose(response -> {
      JsonObject status = ok(response, "status of job " + jobId);
      String state = status.getString("state", "");
      switch (state) {
        case "FULFILLED":
          return Future.succeededFuture(jobId);
        case "QUEUED":
        case "PENDING":
          return Future.<Void>future(p -> timers.add(vertx.setTimer(config.jobPollMs(), id -> p.complete())))
              .compose(v -> closing ? Future.failedFuture("closing") : awaitFulfilled(jobId));
        default:
          deleteJob(jobId);
          return Future.failedFuture(new GenesysApi.CallFailed(200, "job " + jobId + " is " + state
              + (status.getString("errorMessage") == null ? "" : ": " + status.getString("errorMessage"))));
      }
    });
  }

  /** Fetches and admits the pages from {@code cursor} on, each once there is room in flight. */
  private Future<Void> page(PollWindows.Window w, String jobId, String cursor) {
    return room().compose(v -> api.get(JOBS + "/" + jobId + "/results?pageSize=" + config.pageSize()
        + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8))))
        .compose(response -> {
          JsonObject body = ok(response, "results of job " + jobId);
          succeeded();
          return admitPage(w, body).compose(v -> {
            String next = body.getString("cursor");
            if (next == null || next.isEmpty()) {
              deleteJob(jobId);
              return Future.succeededFuture();
            }
            return page(w, jobId, next);
          });
        });
  }

  /** Completes once fewer than maxInFlight events are unsettled (and the source is not closing). */
  private Future<Void> room() {
    if (closing) {
      return Future.failedFuture("closing");
    }
    if (tracker.inFlight() < config.maxInFlight()) {
      return Future.succeededFuture();
    }
    return Future.<Void>future(p -> vertx.setTimer(TICK_MILLIS, id -> p.complete())).compose(v -> room());
  }

  /** Admits every event of the page's conversations that belongs to the window; completes when all have results. */
  private Future<Void> admitPage(PollWindows.Window w, JsonObject body) {
    List<Future<Void>> admitted = new ArrayList<>();
    var conversations = body.getJsonArray("conversations", new io.vertx.core.json.JsonArray());
    for (Object c : conversations) {
      if (!(c instanceof JsonObject conversation)) {
        continue;
      }
      for (AnalyticsEvents.Mapped event : AnalyticsEvents.inWindow(conversation, w.start(), w.end())) {
        admitted.add(admit(w, event.message()));
      }
    }
    return Future.all(admitted).mapEmpty();
  }

  /**
   * One event, admitted again after a pause while admission answers retry (dedup or the DLQ did not answer); as a
   * replay to be delivered while the window was due at start.
   */
  private Future<Void> admit(PollWindows.Window w, JsonObject message) {
    Replay purpose = w.end() <= replayThrough ? Replay.DELIVER : Replay.NONE;
    Future<ItemResult> admitted = admission.admitAll(message.toBuffer(), 1, System.currentTimeMillis(), purpose,
        "genesys-poll window " + w).get(0);
    return admitted.compose(result -> {
      if (result.status() == ItemResult.Status.RETRY) {
        PipelineMetrics.ingested(SOURCE, "retried");
        return Future.<Void>future(p -> vertx.setTimer(RETRY_MILLIS, id -> p.complete())).compose(v -> admit(w,
            message));
      }
      if (result.status() == ItemResult.Status.ACCEPTED) {
        w.admitted(result.seq());
        eventsAdmitted++;
        eventsCounter.increment();
      }
      return Future.succeededFuture();
    });
  }

  private void admittedAll(PollWindows.Window w) {
    paging = null;
    jobs.remove(w);
    windows.admitted(w);
    checkCaughtUp();
    windowsCompleted++;
    windowsCounter.increment();
    LOG.debug("genesys-poll source [{}] admitted window [{}]", sourceId, w);
    pump();
  }

  private void checkCaughtUp() {
    if (!caughtUp.future().isComplete() && windows.admittedThrough(replayThrough)) {
      LOG.info("genesys-poll source [{}] has admitted every window due at its start; dedup's replay may end", sourceId);
      caughtUp.tryComplete();
    }
  }

  private void windowFailed(PollWindows.Window w, Throwable e) {
    if (paging == w) {
      paging = null;
    }
    if (closing) {
      return;
    }
    apiErrors++;
    long now = System.currentTimeMillis();
    long backoff = Math.min(MAX_WINDOW_BACKOFF_MILLIS, 1_000L << Math.min(6, w.attempts() - 1));
    String why = e.getMessage();
    if (!why.equals(lastError) || now - lastErrorAt >= 60_000) {
      LOG.warn("genesys-poll source [{}] window [{}] failed (attempt {}), asked again in {} ms: {}", sourceId, w,
          w.attempts(), backoff, why);
    }
    Counter.builder("switchboard.genesys.poll.api.errors").description("Failed analytics job windows")
        .tag("source", sourceId).register(PipelineMetrics.registry()).increment();
    lastError = why;
    lastErrorAt = now;
    if (failingSince == 0) {
      failingSince = now;
    }
    jobs.remove(w);
    windows.failed(w, now + backoff);
  }

  private void succeeded() {
    if (failingSince != 0) {
      LOG.info("genesys-poll source [{}] polls again after {} ms", sourceId, System.currentTimeMillis() - failingSince);
      failingSince = 0;
    }
  }

  private void deleteJob(String jobId) {
    api.delete(JOBS + "/" + jobId).onComplete(ar -> {
      if (ar.failed() || ar.result().statusCode() >= 300 && ar.result().statusCode() != 404) {
        LOG.debug("genesys-poll source [{}] could not delete job [{}]: {}", sourceId, jobId,
            ar.failed() ? ar.cause().getMessage() : "status " + ar.result().statusCode());
      }
    });
  }

  /** The body of a 2xx answer, or a failure naming the call. */
  private static JsonObject ok(HttpResponse<Buffer> response, String what) {
    int status = response.statusCode();
    if (status / 100 != 2) {
      String text = response.bodyAsString();
      throw new GenesysApi.CallFailed(status, what + ": status " + status
          + (text == null ? "" : " " + text.substring(0, Math.min(200, text.length()))));
    }
    JsonObject body = response.bodyAsJsonObject();
    if (body == null) {
      throw new GenesysApi.CallFailed(status, what + ": empty answer");
    }
    return body;
  }

  /** A checkpoint's last step: the snapshots cover the position captured by {@code position}; make it durable. */
  private Future<Void> writeCheckpoint(long through) {
    long position = captured;
    if (through != generation || position < 0 || position <= windows.checkpoint()) {
      return Future.succeededFuture();
    }
    byte[] payload = new JsonObject().put("source", sourceId)
        .put("nextStart", Instant.ofEpochMilli(position).toString())
        .put("completedThrough", Instant.ofEpochMilli(position + config.overlapSeconds() * 1000L).toString())
        .encode().getBytes(StandardCharsets.UTF_8);
    return vertx.executeBlocking(() -> {
      SnapshotFile.write(checkpointFile, payload);
      return null;
    }, false).compose(v -> vertx.isClustered()
        // Clustered, the poller may move to another member: it starts from the later of its file and this entry.
        ? vertx.sharedData().<String, Long>getAsyncMap(CLUSTER_CHECKPOINTS).compose(map -> map.put(sourceId, position))
        : Future.<Void>succeededFuture()).onSuccess(v -> {
      windows.checkpointed(position);
      LOG.debug("genesys-poll source [{}] checkpoint at [{}]", sourceId, Instant.ofEpochMilli(position));
    }).onFailure(e -> LOG.warn("genesys-poll source [{}] cannot write its checkpoint [{}]: {}", sourceId,
        checkpointFile, e.toString())).mapEmpty();
  }

  private JsonObject status() {
    long now = System.currentTimeMillis();
    String state = api == null ? "starting" : closing ? "closed" : failingSince != 0 ? "failing"
        : paging != null ? "paging" : windows.querying() > 0 ? "querying" : "waiting";
    return new JsonObject().put("source", sourceId).put("type", SOURCE).put("state", state)
        .put("inFlight", tracker.inFlight()).put("maxInFlight", config.maxInFlight())
        .put("caughtUp", caughtUp.future().isComplete())
        .put("checkpoint", Instant.ofEpochMilli(windows.checkpoint()).toString())
        .put("checkpointLagSeconds", (now - windows.completedThrough()) / 1000)
        .put("nextWindowDueAt", Instant.ofEpochMilli(windows.nextDueAt()).toString())
        .put("openWindows", windows.open()).put("windowsCompleted", windowsCompleted)
        .put("eventsAdmitted", eventsAdmitted).put("apiErrors", apiErrors)
        .put("lastError", lastError).put("lastErrorAt", lastErrorAt == 0 ? null : Instant.ofEpochMilli(lastErrorAt)
            .toString());
  }
}
