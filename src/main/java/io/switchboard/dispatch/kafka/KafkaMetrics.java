package io.switchboard.dispatch.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.dispatch.Outcome;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The meters of one {@code kafka} target, as Prometheus names them:
 * <ul>
 *   <li>{@code switchboard_kafka_records_total{target,result}}: records by result, {@code ok} (acknowledged),
 *       {@code retriable} (a 5xx or transport outcome, retried by the default policy) and {@code rejected} (a 4xx
 *       outcome: too large, not authorised; dead-lettered by the default policy);</li>
 *   <li>{@code switchboard_kafka_failed_total{target,error}}: failed records by exception ({@code RecordTooLarge} for
 *       records refused before sending, {@code SendBlocked} for sends that found no metadata or buffer space);</li>
 *   <li>{@code switchboard_kafka_send_latency_seconds{target}}: hand-over to acknowledgement (or failure) of one
 *       record;</li>
 *   <li>the batching the producer achieved, from its own metrics (averages over its 30 s sample window), per
 *       producer ({@code client} is its {@code client.id}, one per dispatcher instance):
 *       {@code switchboard_kafka_producer_batch_bytes_avg} / {@code _max} (bytes per partition batch, before
 *       compression), {@code switchboard_kafka_producer_records_per_request_avg},
 *       {@code switchboard_kafka_producer_compression_rate_avg} (compressed / uncompressed size),
 *       {@code switchboard_kafka_producer_queue_time_ms_avg} (time a record waits for its batch to leave),
 *       {@code switchboard_kafka_producer_request_latency_ms_avg} and
 *       {@code switchboard_kafka_producer_buffer_available_bytes}.</li>
 * </ul>
 * Counters are shared by a target's dispatcher instances (Micrometer caches the lookups); each producer's gauges go
 * with it when its channel stops.
 */
final class KafkaMetrics {

  /** Micrometer name → the producer metric (group {@code producer-metrics}) it reads. */
  private static final Map<String, String> PRODUCER_GAUGES = Map.of(
      "switchboard.kafka.producer.batch.bytes.avg", "batch-size-avg",
      "switchboard.kafka.producer.batch.bytes.max", "batch-size-max",
      "switchboard.kafka.producer.records.per.request.avg", "records-per-request-avg",
      "switchboard.kafka.producer.compression.rate.avg", "compression-rate-avg",
      "switchboard.kafka.producer.queue.time.ms.avg", "record-queue-time-avg",
      "switchboard.kafka.producer.request.latency.ms.avg", "request-latency-avg",
      "switchboard.kafka.producer.buffer.available.bytes", "buffer-available-bytes");

  private final MeterRegistry registry;
  private final String target;
  private final Counter ok;
  private final Counter retriable;
  private final Counter rejected;
  private final Timer latency;
  private final List<Gauge> gauges = new ArrayList<>();

  KafkaMetrics(MeterRegistry registry, String target) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.target = Objects.requireNonNull(target, "target");
    ok = records("ok");
    retriable = records("retriable");
    rejected = records("rejected");
    latency = Timer.builder("switchboard.kafka.send.latency").description("Hand-over to acknowledgement of a record")
        .tag("target", target).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
        .register(registry);
  }

  /** Counts one record's outcome; {@code error} names the failure ({@code null} on success). */
  void outcome(Outcome outcome, String error, long nanos) {
    latency.record(Duration.ofNanos(nanos));
    int code = outcome instanceof Outcome.Status status ? status.code() : 0;
    if (code >= 200 && code < 300) {
      ok.increment();
      return;
    }
    (code >= 400 && code < 500 ? rejected : retriable).increment();
    Counter.builder("switchboard.kafka.failed").description("Failed records, by exception")
        .tag("target", target).tag("error", error == null ? "unknown" : error).register(registry).increment();
  }

  /** Exports the batching figures of {@code producer}, whose {@code client.id} is {@code clientId}. */
  void bind(Producer<?, ?> producer, String clientId) {
    PRODUCER_GAUGES.forEach((name, metric) -> {
      MetricName key = new MetricName(metric, "producer-metrics", "", Map.of("client-id", clientId));
      gauges.add(Gauge.builder(name, producer, p -> value(p, key))
          .description("Kafka producer metric " + metric).tag("target", target).tag("client", clientId)
          .register(registry));
    });
  }

  /** Removes the gauges of the producer {@link #bind} exported. */
  void unbind() {
    gauges.forEach(registry::remove);
    gauges.clear();
  }

  private static double value(Producer<?, ?> producer, MetricName key) {
    Metric metric = producer.metrics().get(key);
    return metric != null && metric.metricValue() instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private Counter records(String result) {
    return Counter.builder("switchboard.kafka.records").description("Records by result")
        .tag("target", target).tag("result", result).register(registry);
  }
}
