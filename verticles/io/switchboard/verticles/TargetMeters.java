package io.switchboard.verticles;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.switchboard.dispatch.DispatchMeters;

import java.time.Duration;

/** A target's dispatch meters in Micrometer, looked up once per dispatcher instance (shared by its instances). */
final class TargetMeters implements DispatchMeters {

  private final Counter delivered;
  private final Counter retried;
  private final Counter deadLettered;
  private final Counter filtered;
  private final Timer attemptLatency;
  private final Timer endToEnd;

  TargetMeters(String target) {
    var registry = PipelineMetrics.registry();
    delivered = Counter.builder("switchboard.delivered").description("Events delivered, by target")
        .tag("target", target).register(registry);
    retried = Counter.builder("switchboard.target.retries").description("Delivery attempts that will be retried")
        .tag("target", target).register(registry);
    deadLettered = Counter.builder("switchboard.target.deadlettered").description("Events a target dead-lettered")
        .tag("target", target).register(registry);
    filtered = filteredCounter(target);
    attemptLatency = Timer.builder("switchboard.target.attempt.latency").description("One delivery attempt (a batch)")
        .tag("target", target).publishPercentileHistogram().register(registry);
    endToEnd = Timer.builder("switchboard.end.to.end.latency").description("Ingest to delivery latency")
        .tag("target", target).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(5))
        .register(registry);
  }

  /** Events {@code target}'s filter left out: counted where the filter runs (the state stage, or the dispatcher). */
  static Counter filteredCounter(String target) {
    return Counter.builder("switchboard.target.filtered").description("Events a target's filter left out")
        .tag("target", target).register(PipelineMetrics.registry());
  }

  @Override
  public void delivered(long endToEndMillis) {
    delivered.increment();
    endToEnd.record(Duration.ofMillis(endToEndMillis));
  }

  @Override
  public void retried() {
    retried.increment();
  }

  @Override
  public void deadLettered() {
    deadLettered.increment();
  }

  @Override
  public void filtered() {
    filtered.increment();
  }

  @Override
  public void attempted(long nanos) {
    attemptLatency.record(Duration.ofNanos(nanos));
  }
}
