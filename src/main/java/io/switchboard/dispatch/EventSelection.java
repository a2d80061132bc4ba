package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.TargetConfig;
import io.switchboard.filter.EventFilter;
import io.switchboard.filter.FilterInput;
import io.switchboard.filter.InvalidFilterException;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;

import java.util.Objects;
import java.util.Optional;

/**
 * Which events a target takes and how it receives them: its filter, then its payload shape, idempotency key and
 * ordering key. One per dispatcher instance, since each compiles its own filter (see {@link EventFilter}).
 */
public final class EventSelection {

  private final EventFilter filter;
  private final PayloadShaper shaper;
  private final OrderingKey orderingKey;

  public EventSelection(TargetConfig target, OrderingKey orderingKey) {
    this.filter = filterOf(target);
    this.shaper = new PayloadShaper(target.enriched(), target.sourceRegion());
    this.orderingKey = Objects.requireNonNull(orderingKey, "orderingKey");
  }

  /**
   * Compiles {@code target}'s filter.
   *
   * @throws ConfigException naming the JSON path at fault
   */
  static EventFilter filterOf(TargetConfig target) {
    try {
      return EventFilter.from(target.filterNode().json(), target.filterNode().path());
    } catch (InvalidFilterException e) {
      throw new ConfigException(e.path(), e.problem());
    }
  }

  /**
   * The name of the filter pattern that selects {@code processed}, or empty when the target leaves it out.
   *
   * @throws RuntimeException when the filter cannot read the event (a fault to dead-letter, not a mismatch)
   */
  public Optional<String> match(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    return filter.match(() -> FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(),
        event.late()));
  }

  /** The delivery of a selected event; also rebuilds one redriven from the overflow. */
  public Delivery delivery(ProcessedEvent processed, String matched) {
    return new Delivery(processed, shaper.shape(processed, matched), PayloadShaper.idempotencyKey(processed.event()),
        matched, 0, Delivery.NOT_PARKED, orderingKey.of(processed));
  }
}
