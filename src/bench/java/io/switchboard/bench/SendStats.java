package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

/**
 * What one lane saw of its requests. Each lane owns one and runs on one event loop, so the counters are
 * plain fields; lanes are merged once they are done.
 */
final class SendStats {

  long sent;
  long requests;
  long accepted;
  long duplicates;
  long deadLettered;
  long ignored;
  long http4xx;
  long http5xx;
  long ioErrors;
  long retries;
  long failed;
  final Latencies httpNanos = new Latencies();
  /** When each send began and was answered, for the order verdict. */
  final Arrivals arrivals = new Arrivals();

  /** Counts the per-item outcomes of a 202 summary. */
  void count(JsonObject summary) {
    accepted += summary.getLong("accepted", 0L);
    duplicates += summary.getLong("duplicates", 0L);
    deadLettered += summary.getLong("deadLettered", 0L);
    ignored += summary.getLong("ignored", 0L);
  }

  void add(SendStats other) {
    sent += other.sent;
    requests += other.requests;
    accepted += other.accepted;
    duplicates += other.duplicates;
    deadLettered += other.deadLettered;
    ignored += other.ignored;
    http4xx += other.http4xx;
    http5xx += other.http5xx;
    ioErrors += other.ioErrors;
    retries += other.retries;
    failed += other.failed;
    httpNanos.addAll(other.httpNanos);
    arrivals.addAll(other.arrivals);
  }
}
