package io.switchboard.it.genesys;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * One accepted notification WebSocket: its number, its channel, its heartbeat timer, and its entries in the
 * {@link SocketLog}. Sends and server-initiated closes are logged <i>before</i> they reach the wire, so a test that
 * has just seen a message or a close on its side always finds it in the log.
 */
final class StreamSocket {

  final int number;
  final String channelId;
  final ServerWebSocket ws;
  private final SocketLog log;
  private final LongSupplier clock;
  long heartbeatTimer = -1;
  boolean heartbeats = true;
  private boolean closeLogged;

  StreamSocket(int number, String channelId, ServerWebSocket ws, SocketLog log, LongSupplier clock) {
    this.number = number;
    this.channelId = Objects.requireNonNull(channelId);
    this.ws = Objects.requireNonNull(ws);
    this.log = Objects.requireNonNull(log);
    this.clock = Objects.requireNonNull(clock);
    log.opened(channelId, number, clock.getAsLong());
  }

  void send(JsonObject message) {
    if (closeLogged || ws.isClosed()) {
      return;
    }
    log.sent(channelId, number, clock.getAsLong(), message.getString("topicName"), message);
    ws.writeTextMessage(message.encode());
  }

  /** A clean close: a close frame with this code, then the TCP close. */
  void close(short code, String reason, String cause) {
    if (logClose((int) code, cause)) {
      ws.close(code, reason);
    }
  }

  /**
   * Ends the TCP connection with no close frame, as a network failure would. The public API only closes cleanly (even
   * {@code HttpConnection.close()} sends a close frame), so this closes the Netty pipeline from its head, past the
   * WebSocket handlers; the client then sees status 1006.
   */
  void drop() {
    if (logClose(1006, "dropped")) {
      ((WebSocketInternal) ws).channelHandlerContext().pipeline().firstContext().close();
    }
  }

  /** The socket closed; if the server did not close it, the client did (or the network), with this status. */
  void closed(Short code) {
    logClose(code == null ? null : code.intValue(), "client");
  }

  private boolean logClose(Integer code, String cause) {
    if (closeLogged) {
      return false;
    }
    closeLogged = true;
    log.closed(channelId, number, clock.getAsLong(), code, cause);
    return true;
  }
}
