package io.switchboard.dispatch;

import io.switchboard.config.ConfigNode;
import io.switchboard.config.TargetConfig;
import io.vertx.core.Vertx;

import java.util.Objects;
import java.util.function.Function;

/**
 * One kind of target ({@code http}, {@code kinesis}, ...): everything Switchboard needs to know of it, in one place.
 * Adding a type is writing its options record and {@link DeliveryChannel}, and listing one of these in
 * {@link TargetTypes}.
 *
 * @param name               the {@code type} value in the config
 * @param options            parses the type's own keys of a target object, failing with the JSON path at fault
 * @param channels           makes one channel per dispatcher instance
 * @param orderingKeys       the ordering key a target of this type keeps, from its options
 * @param writesSnapshot     whether every delivery carries the conversation snapshot, whatever the payload shape
 * @param defaultMaxInFlight {@code queue.maxInFlight} when a target does not set it
 * @param <O>                the type's options
 */
public record TargetType<O>(String name, Function<ConfigNode, O> options, ChannelFactory<O> channels,
                            Function<O, OrderingKey> orderingKeys, boolean writesSnapshot, int defaultMaxInFlight) {

  /** Makes a channel for one dispatcher instance of a target. */
  @FunctionalInterface
  public interface ChannelFactory<O> {
    DeliveryChannel create(Vertx vertx, String targetId, O options);
  }

  public TargetType {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(channels, "channels");
    Objects.requireNonNull(orderingKeys, "orderingKeys");
  }

  /** A type that keeps each conversation's order. */
  public static <O> TargetType<O> byConversation(String name, Function<ConfigNode, O> options,
                                                 ChannelFactory<O> channels, boolean writesSnapshot) {
    return new TargetType<>(name, options, channels, o -> OrderingKey.CONVERSATION, writesSnapshot,
        TargetTypes.DEFAULT_MAX_IN_FLIGHT);
  }

  /** Parses {@code target}'s options; a config error names the key at fault. */
  public O optionsOf(TargetConfig target) {
    return options.apply(target.options());
  }

  public DeliveryChannel channel(Vertx vertx, TargetConfig target) {
    return channels.create(vertx, target.id(), optionsOf(target));
  }

  public OrderingKey orderingKey(TargetConfig target) {
    return orderingKeys.apply(optionsOf(target));
  }
}
