package io.switchboard.dispatch.eventbridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An eventbridge target's own meters, beside the dispatcher's per-target ones: entries put, entries failed by
 * error code, entries per PutEvents request and the latency of one request. Every instance of a target shares them.
 */
final class EventBridgeMetrics {

  /** AWS error codes are short identifiers; anything else is folded into one tag value to bound the series. */
  private static final Pattern CODE = Pattern.compile("[A-Za-z][A-Za-z0-9.]{0,63}");

  private final MeterRegistry registry;
  private final String target;
  private final Counter put;
  private final DistributionSummary batchSize;
  private final Timer latency;

  EventBridgeMetrics(MeterRegistry registry, String target) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.target = Objects.requireNonNull(target, "target");
    put = Counter.builder("switchboard.eventbridge.entries.put")
        .description("PutEvents entries EventBridge accepted").tag("target", target).register(registry);
    batchSize = DistributionSummary.builder("switchboard.eventbridge.batch.size")
        .description("Entries per PutEvents request").tag("target", target).register(registry);
    latency = Timer.builder("switchboard.eventbridge.put.latency")
        .description("One PutEvents request, sent to answered").tag("target", target)
        .publishPercentileHistogram().register(registry);
  }

  void sent(int entries) {
    batchSize.record(entries);
  }

  void answered(Duration took) {
    latency.record(took);
  }

  void put(int entries) {
    put.increment(entries);
  }

  /** Entries that failed with {@code code} (an AWS error code, {@code EntryTooLarge} or {@code transport}). */
  void failed(String code, int entries) {
    Counter.builder("switchboard.eventbridge.entries.failed")
        .description("PutEvents entries that failed, by error code")
        .tag("target", target).tag("code", CODE.matcher(code).matches() ? code : "other")
        .register(registry).increment(entries);
  }
}
