package io.switchboard.it.genesys;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The plain HTTP and WebSocket calls the emulator tests make, on Vert.x's own clients: no retries, no smarts, so a
 * test sees exactly what the emulator answered.
 */
final class RawGenesysClient {

  static final String FORM = "application/x-www-form-urlencoded";

  private final GenesysEmulator emulator;
  private final WebClient web;
  private final WebSocketClient sockets;

  RawGenesysClient(Vertx vertx, GenesysEmulator emulator) {
    this.emulator = emulator;
    this.web = WebClient.create(vertx);
    this.sockets = vertx.createWebSocketClient();
  }

  Future<HttpResponse<Buffer>> tokenRequest(String clientId, String secret, String contentType, String body) {
    HttpRequest<Buffer> request = web.postAbs(emulator.baseUrl() + "/oauth/token");
    if (clientId != null) {
      request.putHeader("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }
    if (contentType != null) {
      request.putHeader("Content-Type", contentType);
    }
    return request.sendBuffer(Buffer.buffer(body));
  }

  /** A token for the default client through {@code POST /oauth/token}. */
  Future<String> token() {
    return tokenRequest(emulator.clientId(), emulator.clientSecret(), FORM, "grant_type=client_credentials")
        .map(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("token request answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return r.bodyAsJsonObject().getString("access_token");
        });
  }

  HttpRequest<Buffer> api(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = web.requestAbs(method, emulator.baseUrl() + path);
    return token == null ? request : request.putHeader("Authorization", "Bearer " + token);
  }

  Future<HttpResponse<Buffer>> get(String path, String token) {
    return api(HttpMethod.GET, path, token).send();
  }

  /** {@code POST /api/v2/notifications/channels} → the Channel JSON. */
  Future<JsonObject> createChannel(String token) {
    return api(HttpMethod.POST, "/api/v2/notifications/channels", token).send().map(r -> {
      if (r.statusCode() != 200) {
        throw new IllegalStateException("channel creation answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      return r.bodyAsJsonObject();
    });
  }

  Future<HttpResponse<Buffer>> subscribe(String token, String channelId, HttpMethod method, List<String> topics,
      boolean ignoreErrors) {
    JsonArray body = new JsonArray();
    topics.forEach(t -> body.add(new JsonObject().put("id", t)));
    String path = "/api/v2/notifications/channels/" + channelId + "/subscriptions" + (ignoreErrors ? "?ignoreErrors=true" : "");
    return api(method, path, token).sendBuffer(body.toBuffer());
  }

  Future<SocketProbe> connect(String connectUri) {
    return SocketProbe.connect(sockets, connectUri);
  }

  /** A channel subscribed (PUT) to these topics, with a socket connected to it. */
  Future<Subscribed> subscribedSocket(String token, List<String> topics) {
    return createChannel(token).compose(channel -> subscribe(token, channel.getString("id"), HttpMethod.PUT, topics, false)
        .compose(r -> {
          if (r.statusCode() != 200) {
            throw new IllegalStateException("subscribe answered " + r.statusCode() + ": " + r.bodyAsString());
          }
          return connect(channel.getString("connectUri"));
        })
        .map(probe -> new Subscribed(channel.getString("id"), channel.getString("connectUri"), probe)));
  }

  Future<HttpResponse<Buffer>> control(String path, JsonObject body) {
    return web.postAbs(emulator.baseUrl() + "/_emulator" + path).sendJsonObject(body);
  }

  /** A channel and the probe on its socket. */
  record Subscribed(String channelId, String connectUri, SocketProbe probe) {
  }
}
