package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.FileTargetOptions;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.file.FileDeliveryChannel;
import io.vertx.core.Vertx;

/**
 * The target types: adding one is writing its {@link DeliveryChannel} and options class and adding a
 * case here (and its name to {@code TargetConfig}'s types).
 */
public final class DeliveryChannels {

  private DeliveryChannels() {
  }

  /** Parses the type's own options, failing with the JSON path at fault; called once at config time. */
  public static void validate(TargetConfig target) {
    switch (target.type()) {
      case "file" -> FileTargetOptions.from(target.options());
      case "http" -> io.switchboard.dispatch.http.HttpTargetOptions.from(target.options());
      case "eventbridge" -> io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions.from(target.options());
      default -> throw new ConfigException(target.options().path("type"), "unknown target type " + target.type());
    }
  }

  /** A new channel for one dispatcher instance. */
  public static DeliveryChannel create(Vertx vertx, TargetConfig target) {
    return switch (target.type()) {
      case "file" -> new FileDeliveryChannel(vertx, target.id(), FileTargetOptions.from(target.options()));
      case "http" -> new io.switchboard.dispatch.http.HttpDeliveryChannel(vertx, target.id(),
          io.switchboard.dispatch.http.HttpTargetOptions.from(target.options()));
      case "eventbridge" -> io.switchboard.dispatch.eventbridge.EventBridgeDeliveryChannel.create(vertx, target);
      default -> throw new ConfigException(target.options().path("type"), "unknown target type " + target.type());
    };
  }
}
