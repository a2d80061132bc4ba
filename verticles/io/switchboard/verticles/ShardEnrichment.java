package io.switchboard.verticles;

import io.switchboard.config.EnrichmentConfig;
import io.switchboard.genesys.ConversationSummary;
import io.switchboard.genesys.EnrichmentCache;
import io.switchboard.genesys.GenesysApi;
import io.switchboard.message.PipelineEvent;
import io.switchboard.state.ConversationHolds;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Enrichment for one state shard, on its verticle's event loop: the shard's summaries ({@link EnrichmentCache}) and
 * the conversations on hold ({@link ConversationHolds}). A trigger event that starts a fetch waits for its summary at
 * most {@code timeoutMs}, then is delivered with or without it; meanwhile its conversation's later events queue
 * behind it, and other conversations of the shard go on. A fetch that ends after the timeout still updates the cache,
 * so the conversation's later events carry the summary. Every call goes through {@link GenesysApi}: the node's token
 * and shared request budget, Retry-After obeyed.
 */
final class ShardEnrichment {

  private static final Logger LOG = LoggerFactory.getLogger(ShardEnrichment.class);
  private static final String PATH = "/api/v2/conversations/";

  /** One held trigger event: released once, by its fetch or its timer, whichever comes first. */
  private static final class Hold {
    long timer;
    boolean released;
  }

  private final Vertx vertx;
  private final GenesysApi api;
  private final EnrichmentConfig config;
  private final EnrichmentCache cache;
  private final ConversationHolds<PipelineEvent> holds = new ConversationHolds<>();
  private final Consumer<PipelineEvent> resume;
  private final Runnable changed;
  private final AtomicInteger waiting;
  private final Set<Long> timers = new HashSet<>();

  /**
   * @param resume  takes a queued event back into the shard, in order, once its conversation's hold ends
   * @param changed the summaries changed: the shard's next checkpoint must write them
   */
  ShardEnrichment(Vertx vertx, GenesysApi api, EnrichmentConfig config, int shard, Consumer<PipelineEvent> resume,
                  Runnable changed) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.api = Objects.requireNonNull(api, "api");
    this.config = Objects.requireNonNull(config, "config");
    this.resume = Objects.requireNonNull(resume, "resume");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.cache = new EnrichmentCache(config.on(), config.cacheSeconds() * 1000, config.maxCached(),
        config.maxAttempts(), config.maxInFlight());
    this.waiting = PipelineMetrics.gaugeInt("switchboard.enrichment.waiting",
        "Events of the state shard waiting for a conversation's enrichment (held triggers and the events queued "
            + "behind them)", "shard", String.valueOf(shard));
  }

  /** Queues {@code event} if its conversation is on hold (then the caller must not apply it); else false. */
  boolean queueIfHeld(PipelineEvent event) {
    if (!holds.isHeld(event.conversationId())) {
      return false;
    }
    holds.queue(event.conversationId(), event);
    waiting.set(holds.held() + holds.queued());
    return true;
  }

  /**
   * {@code event} was applied and is about to be delivered by {@code deliver}: runs it now, or, when the event starts
   * a fetch and {@code hold} (something will be delivered), once the summary is in or {@code timeoutMs} has passed.
   * {@code deliver} must read the summary ({@link #summary}) when it runs.
   */
  void offer(PipelineEvent event, boolean hold, Runnable deliver) {
    String id = event.conversationId();
    EnrichmentCache.Start start = cache.begin(id, event.eventType(), System.currentTimeMillis());
    if (start != EnrichmentCache.Start.FETCH) {
      if (start != EnrichmentCache.Start.NOT_TRIGGER) {
        EnrichmentMeters.outcome(start.name().toLowerCase(java.util.Locale.ROOT));
      }
      deliver.run();
      return;
    }
    Future<byte[]> fetch = fetch(id);
    if (!hold || config.timeoutMs() == 0) {
      fetch.onComplete(ar -> settle(id, ar));
      EnrichmentMeters.outcome("timeout");
      deliver.run();
      return;
    }
    holds.hold(id);
    waiting.set(holds.held() + holds.queued());
    Hold held = new Hold();
    held.timer = vertx.setTimer(config.timeoutMs(), t -> {
      timers.remove(held.timer);
      release(id, held, "timeout", deliver);
    });
    timers.add(held.timer);
    fetch.onComplete(ar -> {
      String outcome = settle(id, ar);
      if (!held.released) {
        vertx.cancelTimer(held.timer);
        timers.remove(held.timer);
        release(id, held, outcome, deliver);
      }
    });
  }

  /** The conversation's summary, encoded, or null. */
  byte[] summary(String conversationId) {
    return cache.summary(conversationId);
  }

  /** The sweep: summaries of conversations {@code known} no longer holds go (unless on hold or being fetched). */
  void sweep(Predicate<String> known) {
    cache.retainAll(id -> known.test(id) || holds.isHeld(id));
  }

  void writeTo(DataOutput out) throws IOException {
    cache.writeTo(out);
  }

  void readFrom(DataInput in) throws IOException {
    cache.readFrom(in);
  }

  /** Undeploy: no timer outlives the verticle (what is held is unsettled; the journal replays it). */
  void stop() {
    timers.forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void release(String id, Hold held, String outcome, Runnable deliver) {
    held.released = true;
    EnrichmentMeters.outcome(outcome);
    try {
      deliver.run();
    } finally {
      // In order; one of them may put the conversation on hold again, and the rest then queue behind it.
      for (PipelineEvent next : holds.release(id)) {
        resume.accept(next);
      }
      waiting.set(holds.held() + holds.queued());
    }
  }

  private Future<byte[]> fetch(String id) {
    long started = System.currentTimeMillis();
    String path = PATH + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    return api.get(path).map(response -> {
      if (response.statusCode() != 200) {
        String text = response.bodyAsString();
        throw new GenesysApi.CallFailed(response.statusCode(), "GET " + path + ": status " + response.statusCode()
            + (text == null ? "" : " " + text.substring(0, Math.min(200, text.length()))));
      }
      return ConversationSummary.of(response.bodyAsJsonObject(), System.currentTimeMillis()).toBuffer().getBytes();
    }).onComplete(ar -> EnrichmentMeters.fetch(result(ar), System.currentTimeMillis() - started));
  }

  /** Records a fetch's end in the cache; yields the trigger's outcome had it still been waiting. */
  private String settle(String id, AsyncResult<byte[]> ar) {
    if (ar.succeeded()) {
      cache.fetched(id, ar.result(), System.currentTimeMillis());
      changed.run();
      return "enriched";
    }
    cache.failed(id);
    String result = result(ar);
    if ("throttled".equals(result)) {
      LOG.debug("enrichment of conversation [{}] throttled: {}", id, ar.cause().getMessage());
    } else {
      LOG.warn("enrichment of conversation [{}] failed: {}", id, ar.cause().getMessage());
    }
    return result;
  }

  private static String result(AsyncResult<?> ar) {
    if (ar.succeeded()) {
      return "ok";
    }
    return ar.cause() instanceof GenesysApi.CallFailed failed && failed.status() == 429 ? "throttled" : "failed";
  }

  /** For the conversation query: the summary as JSON, or null. */
  JsonObject summaryJson(String conversationId) {
    byte[] summary = cache.summary(conversationId);
    return summary == null ? null : new JsonObject(io.vertx.core.buffer.Buffer.buffer(summary));
  }
}
