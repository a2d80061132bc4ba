package io.switchboard.dispatch.kinesis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;

/**
 * The meters of one {@code kinesis} target, as Prometheus names them:
 * <ul>
 *   <li>{@code switchboard_kinesis_records_total{target,result}}: records by result, {@code put} (written),
 *       {@code failed} (an entry error or a failed request: retried or dead-lettered by the policy) and
 *       {@code rejected} (too large, never sent);</li>
 *   <li>{@code switchboard_kinesis_failed_total{target,errorCode}}: failed records by the entry's or the request's
 *       AWS error code ({@code RecordTooLarge} for rejected ones, the exception name when there was no answer);</li>
 *   <li>{@code switchboard_kinesis_batch_size{target}}: records per PutRecords request (a histogram);</li>
 *   <li>{@code switchboard_kinesis_put_latency_seconds{target}}: one PutRecords call;</li>
 *   <li>{@code switchboard_kinesis_throttled_total{target,shard}}: records throttled per shard, the shard taken
 *       from the throttling message ({@code unknown} when it names none).</li>
 * </ul>
 * Meters of one target are shared by its dispatcher instances; Micrometer caches the lookups.
 */
final class KinesisMetrics {

  private final MeterRegistry registry;
  private final String target;
  private final Counter put;
  private final Counter failed;
  private final Counter rejected;
  private final DistributionSummary batchSize;
  private final Timer latency;

  KinesisMetrics(MeterRegistry registry, String target) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.target = Objects.requireNonNull(target, "target");
    put = records("put");
    failed = records("failed");
    rejected = records("rejected");
    batchSize = DistributionSummary.builder("switchboard.kinesis.batch.size")
        .description("Records per PutRecords request").tag("target", target)
        .serviceLevelObjectives(1, 2, 5, 10, 25, 50, 100, 200, 300, 400, 500)
        .register(registry);
    latency = Timer.builder("switchboard.kinesis.put.latency").description("One PutRecords call")
        .tag("target", target).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
  }

  void request(int records, long nanos) {
    batchSize.record(records);
    latency.record(Duration.ofNanos(nanos));
  }

  void put(int records) {
    put.increment(records);
  }

  void failed(String errorCode, int records) {
    failed.increment(records);
    errorCode(errorCode).increment(records);
  }

  void rejected() {
    rejected.increment();
    errorCode(PutRecordsOutcomes.RECORD_TOO_LARGE).increment();
  }

  void throttled(String shard) {
    Counter.builder("switchboard.kinesis.throttled").description("Records throttled, by shard")
        .tag("target", target).tag("shard", shard).register(registry).increment();
  }

  private Counter records(String result) {
    return Counter.builder("switchboard.kinesis.records").description("Records by result")
        .tag("target", target).tag("result", result).register(registry);
  }

  private Counter errorCode(String code) {
    return Counter.builder("switchboard.kinesis.failed").description("Failed records, by AWS error code")
        .tag("target", target).tag("errorCode", code).register(registry);
  }
}
