package io.switchboard.config;

/**
 * What the configured bounds hold in the heap once every one of them is full, from the per-item sizes measured
 * in the memory tests and benchmarks (README "Memory"). The server compares it with the maximum heap at start and
 * warns when the bounds cannot fit: a bound that only the heap enforces is an {@code OutOfMemoryError} later.
 */
public final class MemoryBudget {

  /** Dedup: id and fingerprint keys, ring entry, table slack (46.7 B measured). */
  static final long DEDUP_BYTES_PER_EVENT = 47;
  /** State: a conversation with a full 20-event history and a few attributes (1.5–1.8 KiB measured). */
  static final long STATE_BYTES_PER_CONVERSATION = 1_850;
  /** Reorder: the per-conversation tracker and lifecycle cursor, nothing buffered (~245 B computed, ReorderBuffer). */
  static final long REORDER_BYTES_PER_CONVERSATION = 256;
  /**
   * An admitted, unsettled event: 3.8 KB measured for a normalised voice event of 1.35 KB (the verbatim bytes
   * and the parsed eventBody tree take about half each; {@code InFlightEventMemoryTest}), plus the processed
   * record and queue entries around it. Queued and buffered events are all in flight, so this one bound covers
   * them.
   */
  public static final long IN_FLIGHT_BYTES_PER_EVENT = 4_000;
  /** An enrichment summary kept per conversation (under 700 B for the voice sample: ConversationSummaryTest). */
  static final long ENRICHMENT_BYTES_PER_CONVERSATION = 700;
  /**
   * The share of the maximum heap the bounds may fill: G1 needs the rest for the young generation and for
   * copying, and the process for buffers in flight.
   */
  public static final double HEAP_SHARE = 0.7;

  private MemoryBudget() {
  }

  /**
   * Bytes the dedup, reorder and state bounds, the enrichment summaries, and the in-flight bounds of HTTP ingest and
   * every Kafka consumer hold when full.
   */
  public static long fullBytes(SwitchboardConfig config) {
    long shards = config.shards();
    EnrichmentConfig enrichment = config.state().enrichment();
    // A summary is dropped with its conversation, so the conversation bound caps them too.
    long summaries = enrichment == null || !enrichment.enabled() ? 0
        : Math.min(enrichment.maxCached(), config.state().maxConversationsPerShard());
    long kafkaInFlight = 0;
    for (KafkaSourceConfig source : config.kafkaSources()) {
      kafkaInFlight += (long) source.maxInFlight() * source.instances();
    }
    return shards * (config.dedup().maxEventsPerShard() * DEDUP_BYTES_PER_EVENT
        + config.state().maxConversationsPerShard() * STATE_BYTES_PER_CONVERSATION
        + config.reorder().maxConversationsPerShard() * REORDER_BYTES_PER_CONVERSATION
        + summaries * ENRICHMENT_BYTES_PER_CONVERSATION)
        + ((long) config.http().maxInFlight() * config.http().instances() + kafkaInFlight) * IN_FLIGHT_BYTES_PER_EVENT;
  }

  /** Whether the full bounds fit in {@value #HEAP_SHARE} of {@code maxHeapBytes}. */
  public static boolean fits(SwitchboardConfig config, long maxHeapBytes) {
    return fullBytes(config) <= HEAP_SHARE * maxHeapBytes;
  }
}
