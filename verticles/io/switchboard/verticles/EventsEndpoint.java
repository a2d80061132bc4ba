package io.switchboard.verticles;

import io.switchboard.config.HttpIngestConfig;
import io.switchboard.ingest.Admission;
import io.switchboard.auth.Credentials;
import io.switchboard.ingest.ItemResult;
import io.switchboard.ingest.MalformedJsonException;
import io.switchboard.ingest.TooManyItemsException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

  private static final Logger LOG = LoggerFactory.getLogger(EventsEndpoint.class);
  private static final String SOURCE = "http";
  private static final String PATH = "/events";

  private final HttpIngestConfig settings;
  private final Admission admission;
  private final Credentials credentials;

  EventsEndpoint(HttpIngestConfig settings, Admission admission) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.credentials = new Credentials(settings.apiKeyHeader(), settings.apiKey(), settings.basicUser(),
        settings.basicPassword());
  }

  /**
   * Takes {@code POST /events} straight from the server, ahead of the router: it is every request of an API
   * destination, and the router's context, route matching and body handler cost more CPU than this needs
   * (BENCHMARKS.md). Other methods on {@code /events} still reach the router, which answers 405.
   */
  Handler<HttpServerRequest> ahead(Router router) {
    router.route(PATH).handler(ctx -> ctx.response().setStatusCode(405).putHeader(HttpHeaders.ALLOW, "POST")
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(error("method " + ctx.request().method() + " not allowed; use POST").encode()));
    return request -> {
      if (request.method() == HttpMethod.POST && PATH.equals(request.path())) {
        handle(request);
      } else {
        router.handle(request);
      }
    };
  }

  private void handle(HttpServerRequest request) {
    // Headers are checked before the body is read, so a wrong key, content type or saturation is answered
    // without buffering up to maxBodyBytes first.
    if (refusal(request) != null) {
      return;
    }
    int limit = settings.maxBodyBytes();
    long declared = parseLong(request.getHeader(HttpHeaders.CONTENT_LENGTH));
    Buffer body = Buffer.buffer((int) Math.max(64, Math.min(declared, limit)));
    request.handler(chunk -> {
      if (body.length() + chunk.length() > limit) {
        if (!request.response().ended()) {
          // Said once, then the connection goes: the rest of an oversized body is not worth reading.
          reply(request, 413, error("body exceeds the limit of " + limit + " bytes"));
          request.connection().close();
        }
        return;
      }
      body.appendBuffer(chunk);
    });
    request.endHandler(v -> {
      if (!request.response().ended()) {
        admit(request, body);
      }
    });
    request.exceptionHandler(e -> LOG.debug("POST /events body not read: {}", e.toString()));
  }

  /** Answers and returns the reason when the request cannot be taken; {@code null} when it can. */
  private String refusal(HttpServerRequest request) {
    if (!credentials.accepts(request::getHeader)) {
      if (credentials.basicEnabled()) {
        request.response().putHeader("WWW-Authenticate", "Basic realm=\"switchboard\", charset=\"UTF-8\"");
      }
      return refuse(request, 401, "missing or wrong credentials: " + credentials.describe());
    }
    String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
    if (!isJson(contentType)) {
      return refuse(request, 415, "content type must be application/json, got " + contentType);
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && parseLong(length) > settings.maxBodyBytes()) {
      return refuse(request, 413, "body of " + length + " bytes exceeds the limit of " + settings.maxBodyBytes());
    }
    if (admission.inFlight() >= settings.maxInFlight()) {
      PipelineMetrics.ingested(SOURCE, "saturated");
      // Too much admitted and unsettled: the sender must slow down (429, as targets answer us).
      request.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
      return refuse(request, 429, "pipeline saturated: " + admission.inFlight() + " events in flight");
    }
    if (admission.journalFull()) {
      PipelineMetrics.ingested(SOURCE, "journal_full");
      // The journal holds everything not yet settled and checkpointed; it never drops, so the sender waits.
      request.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
      return refuse(request, 429, "ingest journal full: waiting for settlement and the next checkpoint");
    }
    return null;
  }

  private static String refuse(HttpServerRequest request, int status, String why) {
    reply(request, status, error(why));
    return why;
  }

  private void admit(HttpServerRequest request, Buffer body) {
    List<Future<ItemResult>> results;
    try {
      // A body of more items than may be in flight could never be admitted within that bound.
      results = admission.admitAll(body, settings.maxInFlight(), System.currentTimeMillis());
    } catch (TooManyItemsException e) {
      reply(request, 413, error(e.getMessage() + " (http.maxInFlight)"));
      return;
    } catch (DecodeException | MalformedJsonException e) {
      String why = "invalid JSON: " + firstLine(e.getMessage());
      admission.rejectUnparseable(body, why).onComplete(ar -> {
        if (ar.failed()) {
          // Not dead-lettered: a 400 would end it here, so the sender must retry until the DLQ can take it.
          request.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
        }
        reply(request, ar.succeeded() ? 400 : 503, error(why).put("deadLettered", ar.succeeded()));
      });
      return;
    }
    if (results.size() == 1) {
      // One envelope per POST, as an API destination sends: no join needed.
      results.get(0).onComplete(ar -> respond(request, List.of(ar.result())));
      return;
    }
    Future.join(results).onComplete(ar -> {
      List<ItemResult> items = new ArrayList<>(results.size());
      for (Future<ItemResult> f : results) {
        items.add(f.result());
      }
      respond(request, items);
    });
  }

  private void respond(HttpServerRequest request, List<ItemResult> items) {
    IngestSummary summary = IngestSummary.of(items);
    if (summary.mustRetry()) {
      request.response().putHeader(HttpHeaders.RETRY_AFTER, String.valueOf(settings.retryAfterSeconds()));
      reply(request, 503, summary.json());
      return;
    }
    reply(request, 202, summary.json());
  }

  private static void reply(HttpServerRequest request, int status, JsonObject body) {
    reply(request, status, body.encode());
  }

  private static void reply(HttpServerRequest request, int status, String json) {
    if (request.response().ended()) {
      return;
    }
    request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(json);
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
    if (s == null) {
      return -1;
    }
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
