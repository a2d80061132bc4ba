package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.DurabilityConfig;
import io.switchboard.config.GenesysConfig;
import io.switchboard.config.GenesysWebSocketSourceConfig;
import io.switchboard.genesys.ConversationSnapshotEvents;
import io.switchboard.genesys.GenesysApi;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.ItemResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The {@code genesys-websocket} source: a Notifications API channel subscribed to the configured topics, whose
 * socket messages are admitted (journalled first, like a {@code POST /events} body) as they arrive. A socket cannot
 * be paused, so nothing here waits on the pipeline: the journal holds what the stages have not taken yet.
 *
 * <p>Detail topics are admitted as they are. Queue and user conversation topics carry the whole conversation on
 * each change; {@link ConversationSnapshotEvents} turns each snapshot into the lifecycle events it shows.
 *
 * <p>Keeping the stream unbroken is most of the work:
 * <ul>
 *   <li>Any message (Genesys sends a {@code channel.metadata} heartbeat about every 30 s) proves the socket alive;
 *       none for {@code heartbeatTimeoutSeconds} and a new channel with the same subscriptions replaces it.</li>
 *   <li>{@code v2.system.socket_closing} (maintenance), {@code no_longer_subscribed}, {@code token_revoked}, and a
 *       channel older than {@code channelRenewSeconds} (channels last 24 h) all get a replacement that is opened
 *       <em>before</em> the old socket is let go: both deliver for {@code closeOverlapMs}, and dedup (by content
 *       fingerprint: notifications have no id) removes what both carried.</li>
 *   <li>A socket that drops unasked is replaced at once, then with doubling waits and jitter while that fails.</li>
 * </ul>
 * Every REST call goes through {@link GenesysApi}: the node's one token and request budget.
 */
public final class GenesysWebSocketSourceVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(GenesysWebSocketSourceVerticle.class);
  private static final String SOURCE = "genesys-websocket";
  private static final long WATCH_MILLIS = 1_000;
  private static final long RETRY_ADMISSION_MILLIS = 1_000;

  /** One channel and its socket. */
  private static final class Link {
    final String channelId;
    final WebSocket socket;
    final long openedAt = System.currentTimeMillis();
    long lastMessageAt = openedAt;
    boolean retired;

    Link(String channelId, WebSocket socket) {
      this.channelId = channelId;
      this.socket = socket;
    }
  }

  private final GenesysWebSocketSourceConfig config;
  private final GenesysConfig genesys;
  private final EventNormalizer normalizer;
  private final ShardMap shardMap;
  private final DurabilityConfig durability;
  private final int maxInFlight;
  private final long dedupTimeoutMs;
  private JournalledSource source;
  private GenesysApi api;
  private WebClient http;
  private WebSocketClient sockets;
  private Link active;
  private boolean listening;
  private boolean closing;
  private boolean connecting;
  private long reconnectDelay;
  private long watchTimer = -1;
  private long retryTimer = -1;
  private JsonArray rejected = new JsonArray();
  private String lastError;
  private long lastErrorAt;
  private long messages;
  private long heartbeats;
  private long snapshots;
  private long channels;

  /** @param maxInFlight the journal replay's pace after a restart (live messages are never held back) */
  public GenesysWebSocketSourceVerticle(GenesysWebSocketSourceConfig config, GenesysConfig genesys,
                                        EventNormalizer normalizer, ShardMap shardMap, DurabilityConfig durability,
                                        int maxInFlight, long dedupTimeoutMs) {
    this.config = Objects.requireNonNull(config, "config");
    this.genesys = Objects.requireNonNull(genesys, "genesys");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.durability = Objects.requireNonNull(durability, "durability");
    this.maxInFlight = maxInFlight;
    this.dedupTimeoutMs = dedupTimeoutMs;
  }

  @Override
  public Future<?> start() {
    reconnectDelay = config.reconnectInitialMs();
    http = WebClient.create(vertx, new WebClientOptions().setUserAgent("switchboard"));
    api = new GenesysApi(vertx, http, genesys.hosts().apiBase(), Addresses.genesysAccess(shardMap.localNode()),
        genesys.timeoutMs(), genesys.maxRetryAfterSeconds() * 1000);
    sockets = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(4 * 1024 * 1024)
        .setMaxFrameSize(1024 * 1024).setConnectTimeout((int) genesys.timeoutMs()));
    return JournalledSource.open(vertx, config.sourceId(), SOURCE, durability, normalizer, shardMap, maxInFlight,
        dedupTimeoutMs, () -> new JournalledSource.Transport() {
          @Override
          public Future<JsonObject> listen() {
            startListening();
            return Future.succeededFuture(new JsonObject());
          }

          @Override
          public Future<Void> close() {
            return closeAll();
          }

          @Override
          public JsonObject status() {
            return GenesysWebSocketSourceVerticle.this.status();
          }
        }).onSuccess(opened -> source = opened);
  }

  @Override
  public Future<?> stop() {
    return closeAll().compose(v -> source == null ? Future.succeededFuture() : source.close())
        .onComplete(ar -> http.close());
  }

  /** Starts connecting in the background: Genesys being unreachable must not stop the server from starting. */
  private void startListening() {
    if (listening) {
      return;
    }
    listening = true;
    watchTimer = vertx.setPeriodic(WATCH_MILLIS, id -> watch());
    connect("start");
  }

  private Future<Void> closeAll() {
    closing = true;
    vertx.cancelTimer(watchTimer);
    vertx.cancelTimer(retryTimer);
    Link link = active;
    active = null;
    if (link == null) {
      return Future.succeededFuture();
    }
    link.retired = true;
    return link.socket.close().otherwiseEmpty();
  }

  /** A replacement channel: created, subscribed, connected; only then is the old socket retired. */
  private void connect(String why) {
    if (closing || connecting) {
      return;
    }
    connecting = true;
    LOG.info("genesys websocket [{}]: opening a channel ({})", config.sourceId(), why);
    api.post("/api/v2/notifications/channels", Buffer.buffer())
        .compose(response -> json(response, "create a channel"))
        .compose(channel -> subscribe(channel.getString("id")).map(channel))
        .compose(channel -> sockets.connect(new WebSocketConnectOptions()
                .setAbsoluteURI(channel.getString("connectUri")))
            .map(socket -> new Link(channel.getString("id"), socket)))
        .onComplete(ar -> {
          connecting = false;
          if (ar.failed()) {
            failed("cannot open a channel (" + why + "): " + ar.cause().getMessage());
            scheduleReconnect("retry after: " + why);
            return;
          }
          adopt(ar.result(), why);
        });
  }

  private Future<Void> subscribe(String channelId) {
    JsonArray topics = new JsonArray();
    config.topics().forEach(t -> topics.add(new JsonObject().put("id", t)));
    // ignoreErrors: a topic refused for a missing permission must not cost the others their subscription.
    return api.put("/api/v2/notifications/channels/" + channelId + "/subscriptions?ignoreErrors=true",
            topics.toBuffer())
        .compose(response -> json(response, "subscribe"))
        .map(listing -> {
          JsonArray refused = new JsonArray();
          for (Object e : listing.getJsonArray("entities", new JsonArray())) {
            JsonObject entity = (JsonObject) e;
            if (!"Permitted".equalsIgnoreCase(entity.getString("state", "Permitted"))) {
              refused.add(new JsonObject().put("topic", entity.getString("id"))
                  .put("reason", entity.getString("rejectionReason"))
                  .put("missingPermissions", entity.getJsonArray("missingPermissions")));
            }
          }
          if (!refused.isEmpty() && !refused.equals(rejected)) {
            LOG.warn("genesys websocket [{}]: topics rejected: {}", config.sourceId(), refused.encode());
          }
          rejected = refused;
          return null;
        });
  }

  private void adopt(Link link, String why) {
    if (closing) {
      link.socket.close();
      return;
    }
    channels++;
    reconnectDelay = config.reconnectInitialMs();
    link.socket.textMessageHandler(text -> onText(link, text));
    link.socket.exceptionHandler(e -> LOG.debug("genesys websocket [{}]: socket error: {}", config.sourceId(),
        e.toString()));
    link.socket.closeHandler(v -> onClosed(link));
    Link old = active;
    active = link;
    lastError = null;
    LOG.info("genesys websocket [{}]: channel [{}] connected ({})", config.sourceId(), link.channelId, why);
    if (old != null) {
      old.retired = true;
      // Both sockets deliver for a moment: whatever the old one still had in flight arrives, and dedup takes copies.
      vertx.setTimer(Math.max(1, config.closeOverlapMs()), id -> old.socket.close());
    }
  }

  private void onText(Link link, String text) {
    link.lastMessageAt = System.currentTimeMillis();
    JsonObject message;
    try {
      message = new JsonObject(text);
    } catch (RuntimeException e) {
      admit(Buffer.buffer(text));
      return;
    }
    String topic = message.getString("topicName", "");
    if (topic.equals("channel.metadata")) {
      heartbeats++;
      return;
    }
    if (topic.startsWith("v2.system.")) {
      system(link, topic, message.getJsonObject("eventBody", new JsonObject()));
      return;
    }
    messages++;
    if (ConversationSnapshotEvents.isSnapshotTopic(topic)) {
      // Queue and user topics carry the whole conversation on every change: admit every event it shows; dedup
      // passes each once, since a later snapshot yields the same events with the same fingerprints.
      snapshots++;
      for (JsonObject event : ConversationSnapshotEvents.eventsOf(message.getJsonObject("eventBody",
          new JsonObject()))) {
        admit(event.toBuffer());
      }
      return;
    }
    admit(Buffer.buffer(text));
  }

  /** Socket-closing warnings, lost subscriptions and revoked tokens all call for a new channel, opened first. */
  private void system(Link link, String topic, JsonObject body) {
    String type = body.getString("systemTopicType", topic.substring("v2.system.".length()));
    LOG.info("genesys websocket [{}]: [{}] on channel [{}]", config.sourceId(), type, link.channelId);
    if (link == active) {
      connect(type);
    }
  }

  /** Admits one message; what admission cannot take now is tried again (dedup absorbs a repeat). */
  private void admit(Buffer body) {
    List<Future<ItemResult>> results;
    try {
      results = source.admission().admitAll(body, Integer.MAX_VALUE, System.currentTimeMillis());
    } catch (RuntimeException e) {
      source.admission().rejectUnparseable(body, "genesys websocket [" + config.sourceId() + "]: "
          + e.getMessage()).onFailure(err -> vertx.setTimer(RETRY_ADMISSION_MILLIS, id -> admit(body)));
      return;
    }
    Future.join(new ArrayList<>(results)).onComplete(ar -> {
      boolean retry = false;
      for (Future<ItemResult> result : results) {
        retry |= result.failed() || result.result().status() == ItemResult.Status.RETRY;
      }
      if (retry && !closing) {
        PipelineMetrics.ingested(SOURCE, "retried");
        vertx.setTimer(RETRY_ADMISSION_MILLIS, id -> admit(body));
      }
    });
  }

  private void onClosed(Link link) {
    if (link.retired || closing) {
      return;
    }
    if (link == active) {
      active = null;
      failed("channel [" + link.channelId + "] closed by the server");
      // The first reconnect is immediate: a server-side close is usually planned (maintenance, 24 h).
      connect("socket closed");
    }
  }

  /** Replaces a socket that went silent, and a channel that is about to reach its 24 h. */
  private void watch() {
    Link link = active;
    if (link == null || connecting) {
      return;
    }
    long now = System.currentTimeMillis();
    if (now - link.lastMessageAt > config.heartbeatTimeoutSeconds() * 1000) {
      failed("no message or heartbeat on channel [" + link.channelId + "] for "
          + (now - link.lastMessageAt) / 1000 + " s");
      link.retired = true;
      active = null;
      link.socket.close();
      connect("heartbeats stopped");
    } else if (now - link.openedAt > config.channelRenewSeconds() * 1000) {
      connect("channel renewal");
    }
  }

  private void scheduleReconnect(String why) {
    if (closing) {
      return;
    }
    long jittered = reconnectDelay / 2 + ThreadLocalRandom.current().nextLong(reconnectDelay / 2 + 1);
    reconnectDelay = Math.min(config.reconnectMaxMs(), reconnectDelay * 2);
    vertx.cancelTimer(retryTimer);
    retryTimer = vertx.setTimer(Math.max(1, jittered), id -> connect(why));
  }

  private void failed(String why) {
    lastError = why;
    lastErrorAt = System.currentTimeMillis();
    LOG.warn("genesys websocket [{}]: {}", config.sourceId(), why);
  }

  private static Future<JsonObject> json(HttpResponse<Buffer> response, String what) {
    if (response.statusCode() / 100 != 2) {
      return Future.failedFuture(new GenesysApi.CallFailed(response.statusCode(), "cannot " + what + ": status "
          + response.statusCode() + " " + clip(response.bodyAsString())));
    }
    try {
      Object body = response.body() == null ? null : response.body().toJsonValue();
      return Future.succeededFuture(body instanceof JsonObject object ? object
          : new JsonObject().put("entities", body instanceof JsonArray array ? array : new JsonArray()));
    } catch (RuntimeException e) {
      return Future.failedFuture("cannot " + what + ": the answer is not JSON");
    }
  }

  private static String clip(String text) {
    return text == null ? "" : text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private JsonObject status() {
    Link link = active;
    String state = closing ? "closed" : link != null ? (rejected.isEmpty() ? "connected" : "failing")
        : !listening ? "starting" : lastError != null ? "failing" : "connecting";
    return new JsonObject().put("type", SOURCE).put("state", state)
        .put("channelId", link == null ? null : link.channelId)
        .put("connectedAt", link == null ? null : Instant.ofEpochMilli(link.openedAt).toString())
        .put("lastMessageAt", link == null ? null : Instant.ofEpochMilli(link.lastMessageAt).toString())
        .put("topics", config.topics().size()).put("rejectedTopics", rejected)
        .put("messages", messages).put("snapshots", snapshots).put("heartbeats", heartbeats).put("channelsOpened", channels)
        .put("lastError", lastError)
        .put("lastErrorAt", lastErrorAt == 0 ? null : Instant.ofEpochMilli(lastErrorAt).toString());
  }
}
