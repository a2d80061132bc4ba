package io.switchboard.dispatch.http;

import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.DeliveryChannel;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Delivers to an {@code http} target: one request per event, like an EventBridge API destination, over a
 * keep-alive pool of {@link HttpTargetOptions#maxConnections()} connections.
 *
 * <p>Only the status line and headers matter ({@link Outcome.Status} keeps the code and {@code Retry-After});
 * response bodies are discarded as they arrive, never buffered. Redirects are not followed: a 3xx is the
 * target's answer and the retry policy classifies it. Every failure becomes an {@link Outcome.TransportFailure};
 * {@link #deliver} never throws and never returns a failed future.
 *
 * <p>{@link #start()} does not contact the target, so a target that is down cannot fail the deployment; its
 * deliveries fail and are retried instead. Like every channel, it is called only from its dispatcher's event loop.
 */
public final class HttpDeliveryChannel implements DeliveryChannel {

  public static final String ATTEMPT_HEADER = "X-Switchboard-Attempt";
  public static final String CONVERSATION_HEADER = "X-Switchboard-Conversation-Id";
  public static final String EVENT_TYPE_HEADER = "X-Switchboard-Event-Type";
  /** Only on events delivered despite a lifecycle violation: its reason code, e.g. {@code invalid_transition}. */
  public static final String VIOLATION_HEADER = "X-Switchboard-Violation";
  /**
   * {@code true}, only on events reorder released after a later event of their conversation: a target that gets
   * the original envelope verbatim has no other way to tell.
   */
  public static final String LATE_HEADER = "X-Switchboard-Late";
  public static final String USER_AGENT = "Switchboard";

  /**
   * How long an idle pooled connection is kept. Below the 5 s keep-alive of Node.js and many proxies, so the
   * pool usually drops a connection before the server does; reusing one the server has just closed would cost
   * a reset and a retry.
   */
  private static final int KEEP_ALIVE_SECONDS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(HttpDeliveryChannel.class);

  private final Vertx vertx;
  private final String targetId;
  private final HttpTargetOptions options;
  private final String host;
  private final int port;
  private final boolean tls;
  /** Path and query, as sent on the request line. */
  private final String requestUri;
  private HttpClientAgent http;
  private boolean stopped;

  public HttpDeliveryChannel(Vertx vertx, String targetId, HttpTargetOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.targetId = Objects.requireNonNull(targetId, "targetId");
    this.options = Objects.requireNonNull(options, "options");
    java.net.URI url = options.url();
    this.tls = "https".equalsIgnoreCase(url.getScheme());
    this.host = url.getHost();
    this.port = url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80;
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    this.requestUri = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  @Override
  public int maxBatch() {
    return 1;
  }

  @Override
  public Future<Void> start() {
    if (stopped) {
      return Future.failedFuture("http target [" + targetId + "]: channel already stopped");
    }
    if (http != null) {
      return Future.succeededFuture();
    }
    // The core client, not WebClient: one request per event is the hot path, and WebClient's request context,
    // interceptor chain and per-request URL parsing cost more CPU than the request itself (BENCHMARKS.md).
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setKeepAlive(true)
        .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout((int) options.timeoutMs())
        .setTrustAll(options.tlsTrustAll())
        .setVerifyHost(!options.tlsTrustAll());
    // Per-request timeouts (set in send) rather than a connection idle timeout: the latter closes the socket
    // and would surface as "connection closed", misreporting a silent server as a reset.
    try {
      http = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(options.maxConnections()));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    LOG.info("http target [{}] ready: {} {}, pool {}, timeout {} ms, static headers {}", targetId, options.method(),
        options.loggableUrl(), options.maxConnections(), options.timeoutMs(), options.headers().keySet());
    if (options.tlsTrustAll()) {
      LOG.warn("http target [{}] accepts any TLS certificate (tlsTrustAll): use it on test rigs only", targetId);
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    if (batch.size() == 1) {
      return send(batch.get(0)).map(List::of);
    }
    // More than maxBatch() breaks the contract, but answering item by item is still correct.
    List<Future<Outcome>> sends = new ArrayList<>(batch.size());
    for (Delivery delivery : batch) {
      sends.add(send(delivery));
    }
    return Future.all(sends).map(all -> all.<Outcome>list());
  }

  /**
   * Closes the pool, giving requests in flight up to {@code timeoutMs} to finish; later deliveries fail
   * with {@link TransportError#OTHER}.
   */
  @Override
  public Future<Void> stop() {
    stopped = true;
    HttpClientAgent closing = http;
    http = null;
    return closing == null ? Future.succeededFuture() : closing.shutdown(options.timeoutMs(), TimeUnit.MILLISECONDS);
  }

  private Future<Outcome> send(Delivery delivery) {
    if (http == null) {
      return Future.succeededFuture(Outcome.transport(TransportError.OTHER, stopped ? "channel stopped" : "channel not started"));
    }
    try {
      PipelineEvent event = delivery.event().event();
      RequestOptions request = new RequestOptions()
          .setMethod(options.method())
          .setHost(host)
          .setPort(port)
          .setSsl(tls)
          .setURI(requestUri)
          .setFollowRedirects(false)
          // Connect (pool wait included) and silence on the wire: this frees the connection of an abandoned request.
          .setConnectTimeout(options.timeoutMs())
          .setIdleTimeout(options.timeoutMs());
      for (Map.Entry<String, String> header : options.headers().entrySet()) {
        request.putHeader(header.getKey(), header.getValue());
      }
      request.putHeader(HttpHeaders.USER_AGENT, USER_AGENT)
          .putHeader(HttpHeaders.CONTENT_TYPE, options.contentType())
          .putHeader(options.idempotencyHeader(), delivery.idempotencyKey())
          .putHeader(ATTEMPT_HEADER, Integer.toString(delivery.attempt()))
          .putHeader(CONVERSATION_HEADER, event.conversationId())
          .putHeader(EVENT_TYPE_HEADER, event.eventType());
      if (event.late()) {
        request.putHeader(LATE_HEADER, "true");
      }
      if (delivery.event().violation() != null) {
        request.putHeader(VIOLATION_HEADER, delivery.event().violation().reason().code());
      }
      return http.request(request)
          .compose(sending -> sending.send(delivery.body()))
          .compose(HttpDeliveryChannel::outcomeOf)
          // The whole exchange gets timeoutMs, as at EventBridge; the idle timeout alone restarts on every byte.
          .timeout(options.timeoutMs(), TimeUnit.MILLISECONDS)
          .otherwise(failure -> TransportErrors.classify(failure, options.timeoutMs()))
          .onSuccess(outcome -> {
            if (LOG.isDebugEnabled()) { // describe() builds a string: not on every delivery for nothing
              LOG.debug("http target [{}] event [{}] attempt {}: {}", targetId, event.key(), delivery.attempt(),
                  outcome.describe());
            }
          });
    } catch (RuntimeException e) {
      // Vert.x checks header values as they are put. The static ones passed the same rules at start, so this is a
      // per-event value (conversation id, event type); the message would quote it, hence only the type here.
      Outcome outcome = Outcome.transport(TransportError.OTHER,
          "request rejected before sending (" + e.getClass().getSimpleName() + ")");
      LOG.warn("http target [{}] event [{}] attempt {}: {}", targetId, delivery.event().event().key(),
          delivery.attempt(), outcome.describe());
      return Future.succeededFuture(outcome);
    }
  }

  /** The status and Retry-After decide; the body is read to its end (so the connection is reused) and dropped. */
  private static Future<Outcome> outcomeOf(HttpClientResponse response) {
    int status = response.statusCode();
    String retryAfter = response.getHeader(HttpHeaders.RETRY_AFTER);
    return response.end().map(v -> Outcome.status(status, retryAfter));
  }
}
