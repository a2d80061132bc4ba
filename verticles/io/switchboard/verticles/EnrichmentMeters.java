package io.switchboard.verticles;

import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;

/**
 * Conversation enrichment's meters: {@code switchboard_enrichment_total{outcome}}, one count per trigger event
 * ({@code enriched}, {@code timeout}, {@code failed}, {@code throttled}: the summary arrived within the timeout, did
 * not, the fetch failed, or Genesys kept answering 429; {@code cached}, {@code pending}, {@code saturated},
 * {@code given_up}: no fetch was made), and {@code switchboard_enrichment_fetch_seconds{result}}, every fetch from
 * asking for its permit to its answer ({@code ok}, {@code failed}, {@code throttled}), including those that finish
 * after their event went on.
 */
final class EnrichmentMeters {

  private static final TaggedCounters OUTCOMES = new TaggedCounters("switchboard.enrichment",
      "Trigger events of conversation enrichment, by outcome", "outcome");

  private EnrichmentMeters() {
  }

  static void outcome(String outcome) {
    OUTCOMES.increment(PipelineMetrics.registry(), outcome);
  }

  static void fetch(String result, long millis) {
    Timer.builder("switchboard.enrichment.fetch")
        .description("GET /api/v2/conversations/{id} for enrichment, from permit to answer, by result")
        .tag("result", result).register(PipelineMetrics.registry()).record(millis, TimeUnit.MILLISECONDS);
  }
}
