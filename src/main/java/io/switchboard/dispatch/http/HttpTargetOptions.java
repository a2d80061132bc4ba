package io.switchboard.dispatch.http;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.vertx.core.http.HttpMethod;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Options of an {@code http} target, read from the target's config object.
 *
 * <p>The defaults mirror an EventBridge API destination, so an endpoint built for one behaves the same here:
 * POST, {@code application/json; charset=utf-8}, and a 5 s deadline for the answer.
 *
 * @param url               absolute {@code http}/{@code https} URL; no credentials (those go in headers)
 * @param headers           static headers sent with every request, values already resolved from the
 *                          environment; they may be secrets, so {@link #toString()} shows names only
 * @param idempotencyHeader header carrying {@code Delivery.idempotencyKey()}, stable across retries
 * @param timeoutMs         longest wait for a complete answer, connection included
 * @param maxConnections    keep-alive pool size, so also the most requests in flight
 * @param tlsTrustAll       accept any server certificate and host name; for test rigs only
 */
public record HttpTargetOptions(URI url, HttpMethod method, Map<String, String> headers, String idempotencyHeader,
                                long timeoutMs, int maxConnections, String contentType, boolean tlsTrustAll) {

  public static final String DEFAULT_IDEMPOTENCY_HEADER = "X-Event-Id";
  public static final String DEFAULT_CONTENT_TYPE = "application/json; charset=utf-8";
  /** EventBridge API destinations give the endpoint 5 s to answer. */
  public static final long DEFAULT_TIMEOUT_MS = 5000;
  public static final int DEFAULT_MAX_CONNECTIONS = 16;

  private static final Set<String> OWN_KEYS = Set.of("url", "method", "headers", "idempotencyHeader", "timeoutMs",
      "maxConnections", "contentType", "tlsTrustAll");
  private static final Set<String> ALL_KEYS = io.switchboard.config.TargetConfig.keysWith(OWN_KEYS);
  private static final Set<String> METHODS = Set.of("POST", "PUT");

  public HttpTargetOptions {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(idempotencyHeader, "idempotencyHeader");
    Objects.requireNonNull(contentType, "contentType");
    // Kept in config order, which is the order they go on the wire; a reader may find that useful.
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(headers, "headers")));
    if (timeoutMs < 1 || maxConnections < 1) {
      throw new IllegalArgumentException("timeoutMs and maxConnections must be positive");
    }
  }

  /** Reads a target config object; header values of the form {@code {"env": "VAR"}} come from the process environment. */
  public static HttpTargetOptions from(ConfigNode node) {
    return from(node, System::getenv);
  }

  /**
   * Reads a target config object, resolving {@code {"env": "VAR"}} header values through {@code env}
   * (a name → value lookup returning {@code null} when unset), which lets tests and embedders supply secrets.
   *
   * @throws ConfigException naming the JSON path of the first key at fault
   */
  public static HttpTargetOptions from(ConfigNode node, Function<String, String> env) {
    Objects.requireNonNull(env, "env");
    node.allowOnly(ALL_KEYS);
    URI url = url(node);
    HttpMethod method = HttpMethod.valueOf(node.oneOf("method", "POST", METHODS));
    String idempotencyHeader = node.string("idempotencyHeader", DEFAULT_IDEMPOTENCY_HEADER);
    if (!HeaderRules.isToken(idempotencyHeader)) {
      throw new ConfigException(node.path("idempotencyHeader"), "must be a header name (letters, digits, '-', ...), got '"
          + idempotencyHeader + "'");
    }
    if (HeaderRules.isSetByChannel(idempotencyHeader)) {
      throw new ConfigException(node.path("idempotencyHeader"), "'" + idempotencyHeader + "' is set by the channel itself");
    }
    String contentType = node.string("contentType", DEFAULT_CONTENT_TYPE);
    if (contentType.isBlank() || HeaderRules.isUnsafeValue(contentType)) {
      throw new ConfigException(node.path("contentType"), "must be a non-empty header value in printable ASCII");
    }
    Map<String, String> headers = HeaderRules.staticHeaders(node.object("headers"), idempotencyHeader, env);
    return new HttpTargetOptions(url, method, headers, idempotencyHeader,
        node.longValue("timeoutMs", DEFAULT_TIMEOUT_MS, 1, 600_000),
        node.intValue("maxConnections", DEFAULT_MAX_CONNECTIONS, 1, 1024),
        contentType,
        node.bool("tlsTrustAll", false));
  }

  /** The URL without its query, which may carry a token: the form to put in logs. */
  public String loggableUrl() {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String port = url.getPort() < 0 ? "" : ":" + url.getPort();
    return url.getScheme() + "://" + url.getHost() + port + path + (url.getRawQuery() == null ? "" : "?…");
  }

  /** Names the static headers but never their values, so the options can be logged as a whole. */
  @Override
  public String toString() {
    return "HttpTargetOptions[url=" + loggableUrl() + ", method=" + method + ", headers=" + headers.keySet()
        + ", idempotencyHeader=" + idempotencyHeader + ", timeoutMs=" + timeoutMs + ", maxConnections="
        + maxConnections + ", contentType=" + contentType + ", tlsTrustAll=" + tlsTrustAll + "]";
  }

  private static URI url(ConfigNode node) {
    String text = node.requiredString("url");
    String path = node.path("url");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new ConfigException(path, "must be an absolute http or https URL: " + e.getReason() + " at index " + e.getIndex());
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new ConfigException(path, "must be an absolute http or https URL, got scheme " + (scheme == null ? "none" : "'" + scheme + "'"));
    }
    if (uri.getHost() == null) {
      // java.net.URI leaves the host null when the authority is not a valid server name (say "my_host").
      throw new ConfigException(path, "must name a valid host");
    }
    if (uri.getRawUserInfo() != null) {
      throw new ConfigException(path, "must not carry credentials; send them in a header read from the environment,"
          + " e.g. \"headers\": {\"Authorization\": {\"env\": \"VAR\"}}");
    }
    if (uri.getPort() == 0 || uri.getPort() > 65_535) {
      throw new ConfigException(path, "port must be between 1 and 65535, got " + uri.getPort());
    }
    if (uri.getRawFragment() != null) {
      throw new ConfigException(path, "must not have a fragment (#...): it is never sent to the server");
    }
    return uri;
  }


}
