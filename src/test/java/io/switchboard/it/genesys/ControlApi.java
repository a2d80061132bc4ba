package io.switchboard.it.genesys;

import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The failure-injection and inspection endpoints under {@code /_emulator}, for the standalone main (tests use the
 * Java API on {@link GenesysEmulator}). Bodies are JSON objects; optional fields have the defaults shown. They are not
 * Genesys paths: no token, no rate limit, not in the request log.
 *
 * <pre>
 * POST /_emulator/tokens/expire                                             → {"expired": n}
 * POST /_emulator/tokens/revoke      {"token"?}  (absent: every valid one)  → {"revoked": n}
 * GET  /_emulator/tokens                                                    → [{"token","clientId","expiresAt"}]
 * POST /_emulator/faults             {"status", "count":1, "pathPrefix":"/api/v2/", "retryAfter":1}
 * POST /_emulator/faults/storm       {"durationMs", "retryAfter":1, "pathPrefix":"/api/v2/"}   (429s)
 * POST /_emulator/faults/delay       {"pathPrefix", "millis"}              (millis 0 removes the delay)
 * POST /_emulator/faults/clear
 * POST /_emulator/heartbeats/stop    {"channelId"?}  (absent: all)          → {"sockets": n}
 * POST /_emulator/sockets/drop       {"channelId"?}                         → {"sockets": n}
 * POST /_emulator/sockets/closing    {"channelId"?}                         → {"sockets": n}
 * POST /_emulator/subscriptions/revoke {"channelId", "reason"?}  (no_longer_subscribed)
 * POST /_emulator/publish            {"topic", "eventBody"}                 → {"delivered": n}
 * POST /_emulator/jobs/fail          {"errorMessage"}   (the next analytics job ends FAILED)
 * GET  /_emulator/channels | /_emulator/sockets | /_emulator/requests
 * </pre>
 */
final class ControlApi {

  static final String PREFIX = "/_emulator";
  private static final String API = "/api/v2/";

  private ControlApi() {
  }

  static void mount(Router router, EmulatorCore core) {
    post(router, "/tokens/expire", body -> new JsonObject().put("expired", core.tokens.expireAll()));
    post(router, "/tokens/revoke", body -> new JsonObject().put("revoked", body.containsKey("token")
        ? (core.revokeToken(body.getString("token")) ? 1 : 0) : core.revokeAllTokens()));
    router.get(PREFIX + "/tokens").handler(ctx -> {
      JsonArray tokens = new JsonArray();
      core.tokens.active().forEach(t -> tokens.add(new JsonObject().put("token", t.value()).put("clientId", t.clientId())
          .put("expiresAt", Iso.format(t.expiresAt()))));
      Replies.json(ctx, 200, tokens);
    });
    post(router, "/faults", body -> {
      int retryAfter = body.getInteger("retryAfter", 1);
      core.faults.failNext(body.getInteger("count", 1), body.getString("pathPrefix", API),
          Fault.forStatus(required(body, "status"), retryAfter));
      return null;
    });
    post(router, "/faults/storm", body -> {
      core.faults.storm(body.getString("pathPrefix", API), Fault.tooManyRequests(body.getInteger("retryAfter", 1)),
          core.clock.getAsLong() + required(body, "durationMs"));
      return null;
    });
    post(router, "/faults/delay", body -> {
      String prefix = body.getString("pathPrefix");
      if (prefix == null) {
        throw new IllegalArgumentException("pathPrefix is required");
      }
      core.faults.delay(prefix, required(body, "millis"));
      return null;
    });
    post(router, "/faults/clear", body -> {
      core.faults.clear();
      return null;
    });
    post(router, "/heartbeats/stop", body -> sockets(core.hub.stopHeartbeats(body.getString("channelId"))));
    post(router, "/sockets/drop", body -> sockets(core.hub.drop(body.getString("channelId"))));
    post(router, "/sockets/closing", body -> sockets(core.hub.socketClosing(body.getString("channelId"))));
    post(router, "/subscriptions/revoke", body -> new JsonObject().put("channelFound",
        core.noLongerSubscribed(body.getString("channelId"), body.getString("reason"))));
    post(router, "/publish", body -> {
      String topic = body.getString("topic");
      if (topic == null) {
        throw new IllegalArgumentException("topic is required");
      }
      return new JsonObject().put("delivered", core.publish(topic, body.getJsonObject("eventBody", new JsonObject())));
    });
    post(router, "/jobs/fail", body -> {
      core.jobs.failNext(body.getString("errorMessage", "Injected failure"));
      return null;
    });
    router.get(PREFIX + "/channels").handler(ctx -> {
      JsonArray channels = new JsonArray();
      core.channels.all().forEach(c -> channels.add(c.toJson().put("clientId", c.clientId).put("connected", c.connected)
          .put("topics", new JsonArray(c.topics.stream().toList()))));
      Replies.json(ctx, 200, channels);
    });
    router.get(PREFIX + "/sockets").handler(ctx -> {
      JsonArray events = new JsonArray();
      core.sockets.events().forEach(e -> events.add(new JsonObject().put("channelId", e.channelId())
          .put("socket", e.socket()).put("kind", e.kind().name()).put("at", Iso.format(e.at()))
          .put("closeCode", e.closeCode()).put("cause", e.cause())));
      Replies.json(ctx, 200, events);
    });
    router.get(PREFIX + "/requests").handler(ctx -> {
      Map<Integer, Integer> byStatus = new TreeMap<>();
      core.requests.all().forEach(e -> byStatus.merge(e.status(), 1, Integer::sum));
      JsonObject counts = new JsonObject();
      byStatus.forEach((status, n) -> counts.put(Integer.toString(status), n));
      Replies.json(ctx, 200, new JsonObject().put("total", core.requests.all().size()).put("byStatus", counts));
    });
  }

  private static void post(Router router, String path, Function<JsonObject, JsonObject> action) {
    router.post(PREFIX + path).handler((Handler<RoutingContext>) ctx -> {
      JsonObject result;
      try {
        JsonObject body = ctx.body().isEmpty() ? new JsonObject() : ctx.body().asJsonObject();
        result = action.apply(body == null ? new JsonObject() : body);
      } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
        Replies.json(ctx, 400, new JsonObject().put("error", String.valueOf(e.getMessage())));
        return;
      }
      if (result == null) {
        Replies.empty(ctx, 204);
      } else {
        Replies.json(ctx, 200, result);
      }
    });
  }

  private static JsonObject sockets(int count) {
    return new JsonObject().put("sockets", count);
  }

  private static int required(JsonObject body, String field) {
    Integer value = body.getInteger(field);
    if (value == null) {
      throw new IllegalArgumentException(field + " is required");
    }
    return value;
  }
}
