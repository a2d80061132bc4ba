package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.FileTargetOptions;
import io.switchboard.config.TargetConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.dispatch.file.FileDeliveryChannel;
import io.switchboard.dispatch.kinesis.KinesisDeliveryChannel;
import io.switchboard.dispatch.kinesis.KinesisTargetOptions;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The target types: adding one is writing its {@link DeliveryChannel} and options class and adding a
 * case here (and its name to {@code TargetConfig}'s types).
 */
public final class DeliveryChannels {

  /** Where channel meters go when Vert.x runs without metrics (some unit tests): counted, never exported. */
  private static final MeterRegistry UNEXPORTED = new SimpleMeterRegistry();

  private DeliveryChannels() {
  }

  /** Parses the type's own options, failing with the JSON path at fault; called once at config time. */
  public static void validate(TargetConfig target) {
    switch (target.type()) {
      case "file" -> FileTargetOptions.from(target.options());
      case "http" -> io.switchboard.dispatch.http.HttpTargetOptions.from(target.options());
      case "eventbridge" -> io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions.from(target.options());
      case "kinesis" -> KinesisTargetOptions.from(target.options());
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
      case "kinesis" -> new KinesisDeliveryChannel(vertx, target.id(), KinesisTargetOptions.from(target.options()),
          registry());
      default -> throw new ConfigException(target.options().path("type"), "unknown target type " + target.type());
    };
  }

  /** The registry {@code GET /metrics} scrapes (vertx-micrometer-metrics' default backend). */
  private static MeterRegistry registry() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : UNEXPORTED;
  }
}
