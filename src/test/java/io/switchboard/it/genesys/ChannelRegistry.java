package io.switchboard.it.genesys;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The notification channels and their subscriptions, with the documented limits: at most {@code maxPerClient}
 * channels per OAuth client (creating one more removes the channel with the oldest last-used time, unconnected
 * channels first), at most {@code maxTopics} topics per channel, and a lifetime after which a channel is gone unless
 * a (re)subscribe extended it ("to keep one longer, resubscribe").
 *
 * <p>What counts as "used" is <b>not verified</b>: here creation, every subscriptions call and every socket connect.
 * Confined to the emulator's context (no locks); the clock is passed in.
 */
final class ChannelRegistry {

  /** A new channel and the channel it pushed out, if the client was at its limit. */
  record Creation(Channel channel, Optional<Channel> evicted) {
  }

  /** More topics than a channel may hold. */
  static final class TooManyTopics extends RuntimeException {
    TooManyTopics(int requested, int max) {
      super("A channel can be subscribed to at most " + max + " topics; this request would make it " + requested + ".");
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final int maxPerClient;
  private final int maxTopics;
  private final long lifetimeMillis;
  private final LongSupplier clock;
  private final Function<String, String> connectUri;

  ChannelRegistry(int maxPerClient, int maxTopics, long lifetimeMillis, LongSupplier clock,
      Function<String, String> connectUri) {
    this.maxPerClient = maxPerClient;
    this.maxTopics = maxTopics;
    this.lifetimeMillis = lifetimeMillis;
    this.clock = Objects.requireNonNull(clock);
    this.connectUri = Objects.requireNonNull(connectUri);
  }

  Creation create(String clientId, String token) {
    long now = clock.getAsLong();
    Optional<Channel> evicted = Optional.empty();
    List<Channel> own = ofClient(clientId);
    if (own.size() >= maxPerClient) {
      List<Channel> unconnected = own.stream().filter(c -> !c.connected).toList();
      evicted = (unconnected.isEmpty() ? own : unconnected).stream()
          .min(Comparator.comparingLong((Channel c) -> c.lastUsedAt));
      evicted.ifPresent(c -> channels.remove(c.id));
    }
    String id = newId();
    Channel channel = new Channel(id, clientId, token, connectUri.apply(id), now, now + lifetimeMillis);
    channels.put(id, channel);
    return new Creation(channel, evicted);
  }

  /** A live (unexpired) channel. */
  Optional<Channel> find(String id) {
    Channel channel = channels.get(id);
    return channel == null || clock.getAsLong() >= channel.expiresAt ? Optional.empty() : Optional.of(channel);
  }

  /** A live channel of this OAuth client; another client's channel is as good as unknown. */
  Optional<Channel> owned(String id, String clientId) {
    return find(id).filter(c -> c.clientId.equals(clientId));
  }

  List<Channel> ofClient(String clientId) {
    return channels.values().stream().filter(c -> c.clientId.equals(clientId)).toList();
  }

  List<Channel> ofToken(String token) {
    return channels.values().stream().filter(c -> c.token.equals(token)).toList();
  }

  Collection<Channel> all() {
    return List.copyOf(channels.values());
  }

  List<Channel> subscribers(String topic) {
    long now = clock.getAsLong();
    return channels.values().stream().filter(c -> now < c.expiresAt && c.topics.contains(topic)).toList();
  }

  /** Replaces (PUT) or extends (POST) the channel's topics, and restarts its lifetime. */
  void subscribe(Channel channel, List<String> topics, boolean replace) {
    Set<String> next = new LinkedHashSet<>(replace ? List.of() : channel.topics);
    next.addAll(topics);
    if (next.size() > maxTopics) {
      throw new TooManyTopics(next.size(), maxTopics);
    }
    channel.topics.clear();
    channel.topics.addAll(next);
    long now = clock.getAsLong();
    channel.lastUsedAt = now;
    channel.expiresAt = now + lifetimeMillis;
  }

  void unsubscribeAll(Channel channel) {
    channel.topics.clear();
    touch(channel);
  }

  void touch(Channel channel) {
    channel.lastUsedAt = clock.getAsLong();
  }

  /** Removes and returns the channels whose lifetime has run out. */
  List<Channel> removeExpired() {
    long now = clock.getAsLong();
    List<Channel> expired = new ArrayList<>();
    channels.values().removeIf(c -> {
      boolean gone = now >= c.expiresAt;
      if (gone) {
        expired.add(c);
      }
      return gone;
    });
    return expired;
  }

  // Shaped like the real ids ("streaming-3-9fe89fakgkjvm7g1mcmthyxav2"); clients must treat them as opaque.
  private static String newId() {
    StringBuilder id = new StringBuilder("streaming-").append(RANDOM.nextInt(10)).append('-');
    for (int i = 0; i < 26; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
