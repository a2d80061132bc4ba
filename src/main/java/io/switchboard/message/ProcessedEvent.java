package io.switchboard.message;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * An event that passed dedup, reorder and the lifecycle state machine, with the conversation snapshot
 * taken right after it was applied. The state stage sends it to the owning instance of each target whose filter
 * selects it (see {@code TargetFilters}), one copy per target carrying that target's matched pattern.
 *
 * @param snapshot  the conversation snapshot as compact JSON bytes, encoded once for all targets; {@code null} when
 *                  no configured target reads it ({@code TargetConfig.readsSnapshot})
 * @param stage     the conversation's lifecycle stage count after this event
 * @param violation the lifecycle violation it is delivered with ({@code state.invalidTransitions: "flag"}; the
 *                  state and stage are then unchanged by it), or {@code null} for an event the lifecycle accepted
 * @param matched   the name of the receiving target's filter pattern that selected it, as the state stage matched
 *                  every target's filter at once; {@code null} when the receiver must match its filter itself (a DLQ
 *                  replay, an event parked before this field existed)
 * @param parts     how many targets it went to, each settling one part with its source; 0 when unknown (then the
 *                  dispatcher assumes every target)
 */
public record ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt,
                             Violation violation, String matched, int parts) {

  private static final Buffer JSON_NULL = Buffer.buffer("null");

  public ProcessedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  /** An event the lifecycle accepted. */
  public ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt) {
    this(event, state, stage, snapshot, processedAt, null);
  }

  /** An event whose receivers match their filters themselves. */
  public ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt,
                        Violation violation) {
    this(event, state, stage, snapshot, processedAt, violation, null, 0);
  }

  /** This event as one target receives it: selected by {@code pattern}, one of {@code parts} targets. */
  public ProcessedEvent forTarget(String pattern, int parts) {
    return new ProcessedEvent(event, state, stage, snapshot, processedAt, violation, pattern, parts);
  }

  /** The snapshot, or JSON {@code null} where none was taken: what a JSON writer embeds. */
  public Buffer snapshotJson() {
    return snapshot == null ? JSON_NULL : snapshot;
  }

  /** The violation as a JSON object, or JSON {@code null}: what a JSON writer embeds. */
  public Buffer violationJson() {
    return violation == null ? JSON_NULL : violation.toJson().toBuffer();
  }
}
