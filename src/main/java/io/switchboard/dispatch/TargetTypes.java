package io.switchboard.dispatch;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.ConfigException;
import io.switchboard.config.TargetCatalog;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.eventbridge.EventBridgeDeliveryChannel;
import io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions;
import io.switchboard.dispatch.file.FileDeliveryChannel;
import io.switchboard.dispatch.file.FileTargetOptions;
import io.switchboard.dispatch.http.HttpDeliveryChannel;
import io.switchboard.dispatch.http.HttpTargetOptions;
import io.switchboard.dispatch.kafka.KafkaDeliveryChannel;
import io.switchboard.dispatch.kafka.KafkaTargetOptions;
import io.switchboard.dispatch.kinesis.KinesisDeliveryChannel;
import io.switchboard.dispatch.kinesis.KinesisTargetOptions;
import io.switchboard.filter.EventFilter;
import io.switchboard.filter.FilterInput;
import io.vertx.micrometer.backends.BackendRegistries;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The registry of target types: the one place that lists them. Config asks it (as a {@link TargetCatalog}) which
 * types exist and checks each target through it; dispatch asks it for a target's channel and ordering key.
 */
public final class TargetTypes implements TargetCatalog {

  /** {@code queue.maxInFlight} of a one-request-per-event type. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 16;
  /**
   * {@code queue.maxInFlight} counts records, and a kinesis channel batches only what is in flight: 16 would cap
   * its PutRecords requests at 16 records. 2000 lets four full requests of 500 be outstanding.
   */
  static final int KINESIS_MAX_IN_FLIGHT = 2000;
  /**
   * The same for kafka, where it counts records handed to the producer and not yet acknowledged: the producer batches
   * only those, and each belongs to a different ordering key, so 16 would mean batches of a few records and 16 keys
   * served at a time. 2000 of typical 2–4 KB events is 4–8 MB, well inside the producer's 32 MiB
   * {@code buffer.memory}, so its send does not wait for buffer space in normal operation.
   */
  static final int KAFKA_MAX_IN_FLIGHT = 2000;

  /** Where channel meters go when Vert.x runs without metrics (some unit tests): counted, never exported. */
  private static final MeterRegistry UNEXPORTED = new SimpleMeterRegistry();

  /** The types Switchboard ships. */
  public static final TargetTypes BUILT_IN = new TargetTypes(List.of(
      TargetType.byConversation("file", FileTargetOptions::from, FileDeliveryChannel::new, true),
      TargetType.byConversation("http", HttpTargetOptions::from, HttpDeliveryChannel::new, false),
      TargetType.byConversation("eventbridge", EventBridgeTargetOptions::from,
          (vertx, id, options) -> EventBridgeDeliveryChannel.create(vertx, id, options, meters()), false),
      new TargetType<>("kinesis", KinesisTargetOptions::from,
          (vertx, id, options) -> new KinesisDeliveryChannel(vertx, id, options, meters()),
          options -> options.partitionKeys()::keyOf, false, KINESIS_MAX_IN_FLIGHT),
      new TargetType<>("kafka", KafkaTargetOptions::from,
          (vertx, id, options) -> new KafkaDeliveryChannel(vertx, id, options, meters()),
          options -> options.keys()::keyOf, false, KAFKA_MAX_IN_FLIGHT)));

  private final Map<String, TargetType<?>> byName = new LinkedHashMap<>();

  public TargetTypes(List<TargetType<?>> types) {
    types.forEach(type -> byName.put(type.name(), type));
  }

  /** The type of a parsed target (config has already checked that it exists). */
  public TargetType<?> of(TargetConfig target) {
    TargetType<?> type = byName.get(target.type());
    if (type == null) {
      throw new ConfigException(target.options().path("type"), "unknown target type " + target.type());
    }
    return type;
  }

  @Override
  public Set<String> typeNames() {
    return byName.keySet();
  }

  @Override
  public int defaultMaxInFlight(String type) {
    TargetType<?> known = byName.get(type);
    return known == null ? DEFAULT_MAX_IN_FLIGHT : known.defaultMaxInFlight();
  }

  @Override
  public void check(TargetConfig target) {
    EventSelection.filterOf(target);
    RetryPolicy.from(target.retry());
    of(target).optionsOf(target);
  }

  /**
   * Whether {@code target} reads the conversation snapshot: a type that writes it into every delivery, the enriched
   * shape, or a filter that tests it. When no target does, the state stage skips encoding one per event.
   */
  public boolean readsSnapshot(TargetConfig target) {
    return of(target).writesSnapshot() || target.enriched()
        || EventFilter.mentions(target.filterNode().json(), FilterInput.CONVERSATION_KEY);
  }

  /** The registry {@code GET /metrics} scrapes (vertx-micrometer-metrics' default backend). */
  private static MeterRegistry meters() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return registry != null ? registry : UNEXPORTED;
  }
}
