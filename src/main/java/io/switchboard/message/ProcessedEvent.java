package io.switchboard.message;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * An event that passed dedup, reorder and the lifecycle state machine, with the conversation snapshot
 * taken right after it was applied. Published by the state stage to every dispatcher.
 *
 * @param snapshot  the conversation snapshot as compact JSON bytes, encoded once for all targets; {@code null} when
 *                  no configured target reads it ({@code TargetConfig.readsSnapshot})
 * @param stage     the conversation's lifecycle stage count after this event
 * @param violation the lifecycle violation it is delivered with ({@code state.invalidTransitions: "flag"}; the
 *                  state and stage are then unchanged by it), or {@code null} for an event the lifecycle accepted
 */
public record ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt,
                             Violation violation) {

  private static final Buffer JSON_NULL = Buffer.buffer("null");

  public ProcessedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  /** An event the lifecycle accepted. */
  public ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt) {
    this(event, state, stage, snapshot, processedAt, null);
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
