package io.switchboard.verticles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.reorder.ReleaseCause;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The meters of one reorder verticle instance, resolved once: releases by cause, the hold applied, late events by
 * how late, and the lateness bound per source. Used on the instance's event loop only.
 */
final class ReorderMeters {

  private final MeterRegistry registry = PipelineMetrics.registry();
  private final String instance;
  private final Map<ReleaseCause, Counter> released = new EnumMap<>(ReleaseCause.class);
  private final Timer hold;
  private final Map<String, Timer> lateDelay = new HashMap<>();
  private final Map<String, AtomicLong> bound = new HashMap<>();

  ReorderMeters(int instance) {
    this.instance = String.valueOf(instance);
    for (ReleaseCause cause : ReleaseCause.values()) {
      released.put(cause, counter(cause.label()));
    }
    hold = Timer.builder("switchboard.reorder.hold").description("How long reorder held an event before releasing it")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
  }

  void released(ReleaseCause cause, long heldMillis) {
    released.get(cause).increment();
    hold.record(heldMillis, TimeUnit.MILLISECONDS);
  }

  /** @param how {@code late_flagged} or {@code late_dead_lettered} */
  void late(String how, String source, long delayMillis) {
    counter(how).increment();
    lateDelay.computeIfAbsent(source, s -> Timer.builder("switchboard.reorder.late.delay")
            .description("Late events: how long after the first-arrived later event of their conversation they came")
            .tag("source", s).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10)).register(registry))
        .record(Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }

  /** Publishes the bound in force for {@code source} on this instance. */
  void bound(String source, long millis) {
    bound.computeIfAbsent(source, s -> {
      AtomicLong holder = new AtomicLong();
      Gauge.builder("switchboard.reorder.lateness.bound", holder, h -> h.get() / 1000.0)
          .description("The lateness bound L in force, per source and reorder instance").baseUnit("seconds")
          .tag("source", s).tag("instance", instance).register(registry);
      return holder;
    }).set(millis);
  }

  private Counter counter(String how) {
    return Counter.builder("switchboard.reorder.released").description("Events released by reorder, by cause")
        .tag("how", how).register(registry);
  }
}
