package io.switchboard.it.genesys;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;

/**
 * A test's end of a notification WebSocket: records every message with its arrival time and lets a test wait for the
 * n-th message matching a condition, or for the close, without sleeping. Synchronized because the socket's handlers
 * run on the client's event loop while the test may ask from another thread.
 */
final class SocketProbe {

  /** A message as it arrived. */
  record Received(long at, JsonObject message) {
    String topic() {
      return message.getString("topicName");
    }
  }

  private record Waiter(Predicate<JsonObject> match, int count, Promise<List<Received>> promise) {
  }

  private final WebSocket ws;
  private final List<Received> received = new ArrayList<>();
  private final List<Waiter> waiters = new ArrayList<>();
  private final Promise<Void> closed = Promise.promise();
  private long closedAt = -1;

  private SocketProbe(WebSocket ws) {
    this.ws = ws;
  }

  static Future<SocketProbe> connect(WebSocketClient client, String connectUri) {
    return client.connect(new WebSocketConnectOptions().setAbsoluteURI(connectUri)).map(ws -> {
      SocketProbe probe = new SocketProbe(ws);
      ws.textMessageHandler(probe::onText);
      ws.closeHandler(v -> probe.onClose());
      ws.exceptionHandler(e -> { }); // an abrupt drop also reports an exception; the close is what tests check
      return probe;
    });
  }

  private synchronized void onText(String text) {
    received.add(new Received(System.currentTimeMillis(), new JsonObject(text)));
    for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
      Waiter waiter = it.next();
      List<Received> matching = matching(waiter.match());
      if (matching.size() >= waiter.count()) {
        it.remove();
        waiter.promise().complete(matching.subList(0, waiter.count()));
      }
    }
  }

  private synchronized void onClose() {
    closedAt = System.currentTimeMillis();
    closed.tryComplete();
  }

  /** The first {@code count} messages matching, once that many have arrived (counting those already received). */
  synchronized Future<List<Received>> await(Predicate<JsonObject> match, int count) {
    List<Received> matching = matching(match);
    if (matching.size() >= count) {
      return Future.succeededFuture(matching.subList(0, count));
    }
    Promise<List<Received>> promise = Promise.promise();
    waiters.add(new Waiter(match, count, promise));
    return promise.future();
  }

  /** The first message on this topic. */
  Future<JsonObject> first(String topicName) {
    return await(m -> topicName.equals(m.getString("topicName")), 1).map(list -> list.get(0).message());
  }

  synchronized List<Received> matching(Predicate<JsonObject> match) {
    return received.stream().filter(r -> match.test(r.message())).toList();
  }

  synchronized List<Received> onTopic(String topicName) {
    return matching(m -> topicName.equals(m.getString("topicName")));
  }

  Future<Void> send(String text) {
    return ws.writeTextMessage(text);
  }

  Future<Void> closed() {
    return closed.future();
  }

  synchronized long closedAt() {
    return closedAt;
  }

  Short closeStatus() {
    return ws.closeStatusCode();
  }

  Future<Void> close() {
    return ws.close();
  }

  static boolean isHeartbeat(JsonObject message) {
    return "channel.metadata".equals(message.getString("topicName"))
        && "WebSocket Heartbeat".equals(message.getJsonObject("eventBody").getString("message"));
  }
}
