package io.switchboard.it.genesys;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.ServerWebSocketHandshake;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The streaming side: WebSockets at {@code /channels/<id>} on the emulator's one port (no auth header; the channel id
 * is the credential). One socket per channel: a second connection to the same channel is accepted and then the first
 * is closed (so the new socket is open before the old one closes). Each socket gets a heartbeat every
 * {@code heartbeatInterval}, a pong for each {@code {"message":"ping"}}, every published message whose topic its
 * channel subscribes to, and system messages without subscribing. Messages published while a channel has no socket
 * are lost, not queued (Genesys documents no buffering).
 *
 * <p><b>Not verified</b>, chosen here: an unknown or expired channel id is refused at the handshake with 404; the
 * replaced socket is closed with 1000, the one warned by socket_closing with 1001, an expired or evicted channel's
 * socket with 1000.
 *
 * <p>Confined to the emulator's context.
 */
final class SocketHub {

  private static final Logger LOG = LoggerFactory.getLogger(SocketHub.class);
  private static final String PREFIX = "/channels/";

  private final Map<String, StreamSocket> current = new HashMap<>();
  private final Vertx vertx;
  private final ChannelRegistry channels;
  private final SocketLog log;
  private final EmulatorOptions options;
  private final LongSupplier clock;
  private int opened;

  SocketHub(Vertx vertx, ChannelRegistry channels, SocketLog log, EmulatorOptions options, LongSupplier clock) {
    this.vertx = Objects.requireNonNull(vertx);
    this.channels = Objects.requireNonNull(channels);
    this.log = Objects.requireNonNull(log);
    this.options = Objects.requireNonNull(options);
    this.clock = Objects.requireNonNull(clock);
  }

  void handshake(ServerWebSocketHandshake handshake) {
    if (channel(handshake.path()).isPresent()) {
      handshake.accept();
    } else {
      handshake.reject(404);
    }
  }

  void connect(ServerWebSocket ws) {
    Optional<Channel> found = channel(ws.path());
    if (found.isEmpty()) {
      ws.close((short) 1008, "unknown channel");
      return;
    }
    Channel channel = found.get();
    StreamSocket socket = new StreamSocket(++opened, channel.id, ws, log, clock);
    StreamSocket previous = current.put(channel.id, socket);
    channel.connected = true;
    channels.touch(channel);
    ws.closeHandler(v -> closed(channel, socket));
    ws.exceptionHandler(e -> LOG.debug("socket [{}] of channel [{}]: {}", socket.number, channel.id, e.toString()));
    ws.textMessageHandler(text -> received(socket, text));
    socket.heartbeatTimer = vertx.setPeriodic(options.heartbeatInterval().toMillis(), id -> {
      if (socket.heartbeats) {
        socket.send(StreamMessages.heartbeat());
      }
    });
    if (previous != null) {
      previous.close((short) 1000, "another WebSocket connected to this channel", "replaced");
    }
  }

  private void closed(Channel channel, StreamSocket socket) {
    vertx.cancelTimer(socket.heartbeatTimer);
    socket.closed(socket.ws.closeStatusCode());
    if (current.get(channel.id) == socket) {
      current.remove(channel.id);
      channel.connected = false;
    }
  }

  private void received(StreamSocket socket, String text) {
    try {
      if ("ping".equals(new JsonObject(text).getValue("message"))) {
        socket.send(StreamMessages.pong());
      }
    } catch (DecodeException | ClassCastException notJson) {
      LOG.debug("ignoring a non-JSON text from socket [{}]", socket.number);
    }
  }

  /** Sends to every connected channel subscribed to the topic; returns how many sockets it was written to. */
  int publish(String topic, JsonObject eventBody) {
    JsonObject message = StreamMessages.notification(topic, eventBody);
    int delivered = 0;
    for (Channel channel : channels.subscribers(topic)) {
      StreamSocket socket = current.get(channel.id);
      if (socket != null) {
        socket.send(message);
        delivered++;
      }
    }
    return delivered;
  }

  /** Sends a message to the channel's socket whatever its subscriptions (v2.system.*). */
  boolean sendTo(Channel channel, JsonObject message) {
    StreamSocket socket = current.get(channel.id);
    if (socket == null) {
      return false;
    }
    socket.send(message);
    return true;
  }

  /** Stops heartbeats on the current socket of one channel, or of all channels when {@code channelId} is null. */
  int stopHeartbeats(String channelId) {
    List<StreamSocket> sockets = sockets(channelId);
    sockets.forEach(s -> s.heartbeats = false);
    return sockets.size();
  }

  int drop(String channelId) {
    List<StreamSocket> sockets = sockets(channelId);
    sockets.forEach(StreamSocket::drop);
    return sockets.size();
  }

  /** Sends socket_closing, then closes the socket {@code socketClosingDelay} later. */
  int socketClosing(String channelId) {
    List<StreamSocket> sockets = sockets(channelId);
    long delay = options.socketClosingDelay().toMillis();
    for (StreamSocket socket : sockets) {
      socket.send(StreamMessages.socketClosing(delay));
      Runnable close = () -> socket.close((short) 1001, "socket closing", "socket_closing");
      if (delay == 0) {
        close.run();
      } else {
        vertx.setTimer(delay, id -> close.run());
      }
    }
    return sockets.size();
  }

  /** Closes the channel's socket, if any, because the channel is gone ({@code expired}, {@code evicted}). */
  void closeChannel(Channel channel, String cause) {
    StreamSocket socket = current.get(channel.id);
    if (socket != null) {
      socket.close((short) 1000, "channel " + cause, cause);
    }
  }

  void closeAll() {
    sockets(null).forEach(s -> s.close((short) 1001, "emulator shutting down", "shutdown"));
  }

  private List<StreamSocket> sockets(String channelId) {
    if (channelId == null) {
      return new ArrayList<>(current.values());
    }
    StreamSocket socket = current.get(channelId);
    return socket == null ? List.of() : List.of(socket);
  }

  private Optional<Channel> channel(String path) {
    return path != null && path.startsWith(PREFIX) ? channels.find(path.substring(PREFIX.length())) : Optional.empty();
  }
}
