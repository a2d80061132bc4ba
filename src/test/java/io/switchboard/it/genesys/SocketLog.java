package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What happened on the notification WebSockets: every open and close per channel (so a test can check that a
 * client's new socket was open before its old one closed) and every message the server sent. Written on the
 * emulator's context, readable from any thread. Bounded like {@link RequestLog}.
 */
public final class SocketLog {

  /** Whether an {@link Event} is a socket opening or closing. */
  public enum Kind { OPENED, CLOSED }

  /**
   * A socket opened or closed. {@code socket} numbers sockets in opening order across the emulator.
   * For CLOSED, {@code closeCode} is the WebSocket status seen by the server (1006 when the TCP connection went without
   * a close frame) and {@code cause} says who or what ended it: {@code client}, {@code replaced},
   * {@code expired}, {@code evicted}, {@code socket_closing}, {@code dropped}, {@code shutdown}.
   */
  public record Event(String channelId, int socket, Kind kind, long at, Integer closeCode, String cause) {
  }

  /** A message the server wrote on a socket. */
  public record Sent(String channelId, int socket, long at, String topicName, JsonObject message) {
  }

  private final Deque<Event> events = new ConcurrentLinkedDeque<>();
  private final Deque<Sent> sent = new ConcurrentLinkedDeque<>();
  private final AtomicInteger sentSize = new AtomicInteger();
  private final int max;

  SocketLog(int max) {
    this.max = max;
  }

  void opened(String channelId, int socket, long at) {
    events.addLast(new Event(channelId, socket, Kind.OPENED, at, null, null));
  }

  void closed(String channelId, int socket, long at, Integer closeCode, String cause) {
    events.addLast(new Event(channelId, socket, Kind.CLOSED, at, closeCode, cause));
  }

  void sent(String channelId, int socket, long at, String topicName, JsonObject message) {
    sent.addLast(new Sent(channelId, socket, at, topicName, message));
    if (sentSize.incrementAndGet() > max && sent.pollFirst() != null) {
      sentSize.decrementAndGet();
    }
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> events(String channelId) {
    return events.stream().filter(e -> e.channelId().equals(channelId)).toList();
  }

  /** Opening times of the channel's sockets, in order. */
  public List<Long> opens(String channelId) {
    return events(channelId).stream().filter(e -> e.kind() == Kind.OPENED).map(Event::at).toList();
  }

  /** Closing times of the channel's sockets, in order. */
  public List<Long> closes(String channelId) {
    return events(channelId).stream().filter(e -> e.kind() == Kind.CLOSED).map(Event::at).toList();
  }

  public List<Sent> sent(String channelId) {
    return sent.stream().filter(s -> s.channelId().equals(channelId)).toList();
  }

  /** How many messages on this topic the channel's sockets were sent (heartbeats are {@code channel.metadata}). */
  public long sentCount(String channelId, String topicName) {
    return sent.stream().filter(s -> s.channelId().equals(channelId) && s.topicName().equals(topicName)).count();
  }
}
