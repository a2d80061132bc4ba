package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Shards;
import io.switchboard.config.HttpIngestConfig;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.JsonArraySplitter;
import io.switchboard.ingest.MalformedJsonException;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code POST /events}: one EventBridge envelope, a JSON array of them, or a Genesys notification message.
 * Answers 202 only once every item is either in the pipeline, known as a duplicate, or durably
 * dead-lettered; anything transient answers 503 with Retry-After, so the sender retries and dedup absorbs
 * the repeats.
 */
final class EventsEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);
  private static final String SOURCE = "http";

  private final Vertx vertx;
  private final HttpIngestConfig settings;
  private final EventNormalizer normalizer;
  private final SettlementTracker tracker;
  private final String origin;
  private final int shards;
  private final DeliveryOptions dedupDelivery;
  private final byte[] apiKey;

  EventsEndpoint(Vertx vertx, HttpIngestConfig settings, EventNormalizer normalizer, SettlementTracker tracker,
                 String origin, int shards) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.tracker = Objects.requireNonNull(tracker, "tracker");
    this.origin = Objects.requireNonNull(origin, "origin");
    this.shards = shards;
    this.dedupDelivery = new DeliveryOptions().setSendTimeout(settings.dedupTimeoutMs());
    this.apiKey = settings.apiKey() == null ? null : settings.apiKey().getBytes(StandardCharsets.UTF_8);
  }

  void mount(Router router) {
    // Header checks run on their own route before the body is read, so a wrong key, content type or
    // saturation is answered without buffering up to maxBodyBytes first.
    router.post("/events").handler(this::checkHeaders);
    router.post("/events").handler(BodyHandler.create(false).setBodyLimit(settings.maxBodyBytes()))
        .handler(this::handle);
    router.errorHandler(413, ctx -> reply(ctx, 413, error("body exceeds the limit of " + settings.maxBodyBytes() + " bytes")));
    router.route("/events").handler(ctx -> ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error("method " + ctx.request().method() + " not allowed; use POST").encode()));
  }

  private void checkHeaders(RoutingContext ctx) {
    if (apiKey != null) {
      String presented = ctx.request().getHeader(settings.apiKeyHeader());
      // Constant-time comparison: the key is a secret.
      if (presented == null || !MessageDigest.isEqual(apiKey, presented.getBytes(StandardCharsets.UTF_8))) {
        reply(ctx, 401, error("missing or wrong API key in header " + settings.apiKeyHeader()));
        return;
      }
    }
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (!isJson(contentType)) {
      reply(ctx, 415, error("content type must be application/json, got " + contentType));
      return;
    }
    String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLong(length) > settings.maxBodyBytes()) {
      reply(ctx, 413, error("body of " + length + " bytes exceeds the limit of " + settings.maxBodyBytes()));
      return;
    }
    if (tracker.inFlight() >= settings.maxInFlight()) {
      PipelineMetrics.ingested(SOURCE, "saturated");
      busy(ctx, "pipeline saturated: " + tracker.inFlight() + " events in flight");
      return;
    }
    ctx.next();
  }

  private void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null) {
      body = Buffer.buffer();
    }
    long now = System.currentTimeMillis();
    List<Buffer> items;
    List<Object> parsed = new ArrayList<>();
    try {
      items = JsonArraySplitter.shapeOf(body) == JsonArraySplitter.BodyShape.ARRAY ? JsonArraySplitter.split(body) : List.of(body);
      for (Buffer item : items) {
        parsed.add(item.toJsonValue());
      }
    } catch (DecodeException | MalformedJsonException e) {
      rejectUnparseable(ctx, body, firstLine(e.getMessage()));
      return;
    }
    List<Future<ItemResult>> results = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      results.add(process(i, parsed.get(i), items.get(i), now));
    }
    Future.join(results).onComplete(ar -> respond(ctx, results));
  }

  private Future<ItemResult> process(int index, Object json, Buffer bytes, long now) {
    if (!(json instanceof JsonObject object)) {
      return deadLetter(index, DeadLetters.ofInput(Ticket.NONE, DeadLetter.Stage.INGEST,
          DeadLetter.Reason.UNRECOGNISED_SHAPE, "item is not a JSON object", null, null, bytes));
    }
    long seq = tracker.admit();
    NormalizeResult result = normalizer.normalize(object, bytes, SOURCE, new Ticket(origin, seq), now);
    if (result instanceof NormalizeResult.Normalized normalized) {
      return admit(index, seq, normalized.event());
    }
    tracker.settle(seq);
    if (result instanceof NormalizeResult.Ignored ignored) {
      PipelineMetrics.ingested(SOURCE, "ignored");
      return Future.succeededFuture(new ItemResult(index, ItemResult.Status.IGNORED, null, null, null, ignored.why()));
    }
    NormalizeResult.Rejected rejected = (NormalizeResult.Rejected) result;
    DeadLetter.Stage stage = rejected.reason() == DeadLetter.Reason.SCHEMA_INVALID
        ? DeadLetter.Stage.VALIDATE : DeadLetter.Stage.INGEST;
    return deadLetter(index, DeadLetters.ofInput(Ticket.NONE, stage, rejected.reason(), rejected.error(),
        rejected.eventId(), rejected.conversationId(), bytes));
  }

  private Future<ItemResult> admit(int index, long seq, PipelineEvent event) {
    String address = Addresses.dedup(Shards.of(event.conversationId(), shards));
    return vertx.eventBus().<DedupVerdict>request(address, event, dedupDelivery).map(reply -> {
      DedupVerdict verdict = reply.body();
      if (verdict.isDuplicate()) {
        tracker.settle(seq);
        PipelineMetrics.ingested(SOURCE, "duplicate");
        return new ItemResult(index, ItemResult.Status.DUPLICATE, event.eventId(), event.conversationId(),
            verdict.name().toLowerCase(Locale.ROOT), null);
      }
      PipelineMetrics.ingested(SOURCE, "accepted");
      return new ItemResult(index, ItemResult.Status.ACCEPTED, event.eventId(), event.conversationId(), null, null);
    }).recover(failure -> {
      // Not known to be in the pipeline: the sender must retry (dedup absorbs it if it did get through).
      tracker.settle(seq);
      LOG.warn("dedup did not answer for event [{}]: {}", event.key(), failure.getMessage());
      return Future.succeededFuture(new ItemResult(index, ItemResult.Status.RETRY, event.eventId(),
          event.conversationId(), "unavailable", failure.getMessage()));
    });
  }

  private Future<ItemResult> deadLetter(int index, DeadLetter letter) {
    return DeadLetters.send(vertx, letter).map(v -> {
      PipelineMetrics.ingested(SOURCE, "dead_lettered");
      return new ItemResult(index, ItemResult.Status.DEAD_LETTERED, letter.eventId(), letter.conversationId(),
          letter.reason().code(), letter.error());
    }).recover(failure -> Future.succeededFuture(new ItemResult(index, ItemResult.Status.RETRY, letter.eventId(),
        letter.conversationId(), "dead_letter_unavailable", failure.getMessage())));
  }

  private void rejectUnparseable(RoutingContext ctx, Buffer body, String why) {
    PipelineMetrics.ingested(SOURCE, "unparseable");
    DeadLetter letter = DeadLetters.ofInput(Ticket.NONE, DeadLetter.Stage.INGEST, DeadLetter.Reason.UNPARSEABLE_JSON,
        "invalid JSON: " + why, null, null, body);
    DeadLetters.send(vertx, letter).onComplete(ar -> reply(ctx, 400, error("invalid JSON: " + why)
        .put("deadLettered", ar.succeeded())));
  }

  private void respond(RoutingContext ctx, List<Future<ItemResult>> results) {
    List<ItemResult> items = new ArrayList<>(results.size());
    for (Future<ItemResult> f : results) {
      items.add(f.result());
    }
    IngestSummary summary = IngestSummary.of(items);
    if (summary.mustRetry()) {
      ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
      reply(ctx, 503, summary.json());
      return;
    }
    reply(ctx, 202, summary.json());
  }

  /** Too much admitted and unsettled: the sender must slow down (429, as targets answer us). */
  private void busy(RoutingContext ctx, String why) {
    ctx.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
    reply(ctx, 429, error(why));
  }

  private static void reply(RoutingContext ctx, int status, JsonObject body) {
    reply(ctx, status, body.encode());
  }

  private static void reply(RoutingContext ctx, int status, String json) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
  }

  private static JsonObject error(String message) {
    return new JsonObject().put("error", message);
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
  }

  /** Jackson appends a location paragraph that only repeats what the first line says. */
  private static String firstLine(String message) {
    if (message == null) {
      return "malformed";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static long parseLong(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
