package io.switchboard.dispatch;

import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.buffer.Buffer;
import io.switchboard.files.JsonLines;

import java.time.Instant;

/**
 * Builds what a target receives: the original envelope verbatim (default), or the enriched wrapper
 * {@code {"event", "matchedFilter", "processedAt", "sourceRegion", "traceId", "idempotencyKey", "late", "violation",
 * "conversation"}}; {@code violation} is {@code {"reason", "error"}} for an event delivered despite a lifecycle
 * violation ({@code state.invalidTransitions: "flag"}), else {@code null}.
 * The wrapper is spliced from bytes so the original event is never re-encoded.
 */
public final class PayloadShaper {

  private final boolean enriched;
  private final String sourceRegion;

  /** @param sourceRegion the region to report; {@code null} takes the envelope's own {@code region} */
  public PayloadShaper(boolean enriched, String sourceRegion) {
    this.enriched = enriched;
    this.sourceRegion = sourceRegion;
  }

  public Buffer shape(ProcessedEvent processed, String matchedFilter) {
    PipelineEvent event = processed.event();
    if (!enriched) {
      return event.payload();
    }
    String region = sourceRegion != null ? sourceRegion : regionOf(processed);
    return Buffer.buffer(256 + event.payload().length() + processed.snapshotJson().length())
        .appendString("{\"event\":").appendBuffer(event.payload())
        .appendString(",\"matchedFilter\":").appendString(JsonLines.quote(matchedFilter))
        .appendString(",\"processedAt\":").appendString(JsonLines.quote(Instant.ofEpochMilli(processed.processedAt()).toString()))
        .appendString(",\"sourceRegion\":").appendString(JsonLines.quote(region))
        .appendString(",\"traceId\":").appendString(JsonLines.quote(event.eventId()))
        .appendString(",\"idempotencyKey\":").appendString(JsonLines.quote(idempotencyKey(event)))
        .appendString(",\"late\":").appendString(Boolean.toString(event.late()))
        .appendString(",\"violation\":").appendBuffer(processed.violationJson())
        .appendString(",\"conversation\":").appendBuffer(processed.snapshotJson())
        .appendString("}");
  }

  /**
   * The key a target can deduplicate on: the content fingerprint, so that retries, restarts and a
   * re-published copy that slipped past the dedup window all carry the same key.
   */
  public static String idempotencyKey(PipelineEvent event) {
    return event.fingerprint();
  }

  private static String regionOf(ProcessedEvent processed) {
    // Envelopes carry "region"; notification messages do not. Read lazily: only enriched targets pay.
    Object region = processed.event().payload().toJsonObject().getValue("region");
    return region instanceof String s ? s : null;
  }
}
