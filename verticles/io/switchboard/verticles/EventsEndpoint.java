package io.switchboard.verticles;

import io.switchboard.config.HttpIngestConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.ItemResult;
import io.switchboard.ingest.MalformedJsonException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code POST /events}: one EventBridge envelope, a JSON array of them, or a Genesys notification message. The
 * HTTP adaptor of {@link Admission}: it checks the key, content type, size and saturation, and renders the results.
 * Answers 202 only once every item is either in the pipeline, known as a duplicate, or durably
 * dead-lettered; anything transient answers 503 with Retry-After, so the sender retries and dedup absorbs
 * the repeats.
 */
final class EventsEndpoint {

  private static final String SOURCE = "http";

  private final HttpIngestConfig settings;
  private final Admission admission;
  private final byte[] apiKey;

  EventsEndpoint(HttpIngestConfig settings, Admission admission) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.admission = Objects.requireNonNull(admission, "admission");
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
    if (admission.inFlight() >= settings.maxInFlight()) {
      PipelineMetrics.ingested(SOURCE, "saturated");
      busy(ctx, "pipeline saturated: " + admission.inFlight() + " events in flight");
      return;
    }
    ctx.next();
  }

  private void handle(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null) {
      body = Buffer.buffer();
    }
    List<Future<ItemResult>> results;
    try {
      results = admission.admitAll(body, System.currentTimeMillis());
    } catch (DecodeException | MalformedJsonException e) {
      String why = "invalid JSON: " + firstLine(e.getMessage());
      admission.rejectUnparseable(body, why).onComplete(ar -> reply(ctx, 400, error(why)
          .put("deadLettered", ar.succeeded())));
      return;
    }
    if (results.size() == 1) {
      // One envelope per POST, as an API destination sends: no join needed.
      results.get(0).onComplete(ar -> respond(ctx, List.of(ar.result())));
      return;
    }
    Future.join(results).onComplete(ar -> {
      List<ItemResult> items = new ArrayList<>(results.size());
      for (Future<ItemResult> f : results) {
        items.add(f.result());
      }
      respond(ctx, items);
    });
  }

  private void respond(RoutingContext ctx, List<ItemResult> items) {
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
