package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.Objects;

/**
 * One {@link BareForwarder} target: a keep-alive pool of {@code maxConnections} connections, one request per event,
 * the body sent as it came. The headers are the ones the sink judges by and Switchboard's http channel sends
 * ({@code X-Event-Id}, {@code X-Switchboard-Conversation-Id}, {@code X-Switchboard-Attempt}), with the envelope id as
 * the event id. Shared by every forwarder instance, as one dispatcher's pool serves a whole Switchboard target.
 */
final class ForwardOutlet {

  /** Switchboard's http channel drops idle connections after 4 s, under the usual 5 s server keep-alive. */
  private static final int KEEP_ALIVE_SECONDS = 4;
  private static final String CONTENT_TYPE = "application/json; charset=utf-8";

  private final HttpClientAgent client;
  private final String host;
  private final int port;
  private final String path;

  private ForwardOutlet(HttpClientAgent client, URI url) {
    this.client = Objects.requireNonNull(client, "client");
    this.host = url.getHost();
    this.port = url.getPort() < 0 ? 80 : url.getPort();
    this.path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
  }

  static ForwardOutlet create(Vertx vertx, ForwarderConfig.Target target, int maxConnections) {
    if (!"http".equals(target.url().getScheme()) || target.url().getHost() == null) {
      throw new IllegalArgumentException("target " + target.id() + ": the forwarder speaks plain http only, got "
          + target.url());
    }
    HttpClientOptions options = new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout((int) ForwarderConfig.TIMEOUT_MILLIS);
    return new ForwardOutlet(vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(maxConnections)),
        target.url());
  }

  /**
   * Posts {@code body} unchanged.
   *
   * @return the status code once the whole answer is in (so the connection is back in the pool); a failed future
   *         on a transport error or after {@link ForwarderConfig#TIMEOUT_MILLIS} of silence
   */
  Future<Integer> send(Buffer body, EnvelopeKeys keys) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setURI(path)
        .setIdleTimeout(ForwarderConfig.TIMEOUT_MILLIS)
        .putHeader(HttpHeaders.CONTENT_TYPE, CONTENT_TYPE)
        .putHeader(HttpSink.ATTEMPT_HEADER, "1");
    // Vert.x rejects a null header value; a body without these fields is forwarded all the same.
    if (keys.id() != null) {
      request.putHeader(HttpSink.EVENT_ID_HEADER, keys.id());
    }
    if (keys.conversationId() != null) {
      request.putHeader(HttpSink.CONVERSATION_HEADER, keys.conversationId());
    }
    return client.request(request)
        .compose(outgoing -> outgoing.send(body))
        .compose(response -> response.end().map(v -> response.statusCode()));
  }
}
