package io.switchboard.genesys;

import io.switchboard.dispatch.RetryAfter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.net.URI;
import java.util.Objects;

/**
 * Genesys Cloud REST calls for one verticle, on its own context: each request first takes a permit (the token and
 * a slot of the shared budget) from the node's access owner over the event bus, then goes out with
 * {@code Authorization: Bearer}. A 401 tells the owner the token was refused and is tried once more with a new one;
 * a 429 tells the owner to pause the budget for {@code Retry-After} and is tried again after it (up to
 * {@code maxAttempts}); anything else is the caller's to judge. Never blocks; never logs the token.
 */
public final class GenesysApi {

  /** What a failed call says: the last status (0 when there was no answer) and why. */
  public static final class CallFailed extends RuntimeException {
    private final int status;

    public CallFailed(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private static final int MAX_ATTEMPTS = 5;

  private final Vertx vertx;
  private final WebClient client;
  private final URI apiBase;
  private final String accessAddress;
  private final long timeoutMs;
  private final long maxRetryAfterMs;

  public GenesysApi(Vertx vertx, WebClient client, URI apiBase, String accessAddress, long timeoutMs,
                    long maxRetryAfterMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.client = Objects.requireNonNull(client, "client");
    this.apiBase = Objects.requireNonNull(apiBase, "apiBase");
    this.accessAddress = Objects.requireNonNull(accessAddress, "accessAddress");
    this.timeoutMs = timeoutMs;
    this.maxRetryAfterMs = maxRetryAfterMs;
  }

  /** {@code GET path}; the answer whatever its status, once 401s and 429s are dealt with. */
  public Future<HttpResponse<Buffer>> get(String path) {
    return call(HttpMethod.GET, path, null, 1, false);
  }

  public Future<HttpResponse<Buffer>> post(String path, Buffer body) {
    return call(HttpMethod.POST, path, body, 1, false);
  }

  public Future<HttpResponse<Buffer>> put(String path, Buffer body) {
    return call(HttpMethod.PUT, path, body, 1, false);
  }

  public Future<HttpResponse<Buffer>> delete(String path) {
    return call(HttpMethod.DELETE, path, null, 1, false);
  }

  private Future<HttpResponse<Buffer>> call(HttpMethod method, String path, Buffer body, int attempt,
                                            boolean refusedOnce) {
    return permit().compose(token -> send(method, path, body, token).compose(response -> {
      int status = response.statusCode();
      if (status == 401 && !refusedOnce) {
        return tell(new JsonObject().put("action", "refused").put("token", token))
            .compose(v -> call(method, path, body, attempt, true));
      }
      if (status == 429) {
        long retryAfter = Math.max(0, RetryAfter.parse(response.getHeader("Retry-After"), System.currentTimeMillis())
            .orElse(1_000));
        if (retryAfter > maxRetryAfterMs || attempt >= MAX_ATTEMPTS) {
          return Future.failedFuture(new CallFailed(429, method + " " + path + ": rate limited (Retry-After "
              + response.getHeader("Retry-After") + ", attempt " + attempt + ")"));
        }
        // The owner pauses every caller's budget, so the retry waits in its permit queue, not on a timer here.
        return tell(new JsonObject().put("action", "throttled").put("retryAfterMs", retryAfter))
            .compose(v -> call(method, path, body, attempt + 1, refusedOnce));
      }
      return Future.succeededFuture(response);
    }));
  }

  private Future<String> permit() {
    return vertx.eventBus().<JsonObject>request(accessAddress, new JsonObject().put("action", "permit"),
            new DeliveryOptions().setSendTimeout(Math.max(30_000, maxRetryAfterMs + timeoutMs)))
        .map(reply -> reply.body().getString("token"));
  }

  private Future<Void> tell(JsonObject note) {
    return vertx.eventBus().request(accessAddress, note).mapEmpty();
  }

  private Future<HttpResponse<Buffer>> send(HttpMethod method, String path, Buffer body, String token) {
    HttpRequest<Buffer> request = client.requestAbs(method, apiBase + path).timeout(timeoutMs)
        .putHeader("Authorization", "Bearer " + token).putHeader("Accept", "application/json");
    if (body == null) {
      return request.send();
    }
    return request.putHeader("Content-Type", "application/json").sendBuffer(body);
  }
}
