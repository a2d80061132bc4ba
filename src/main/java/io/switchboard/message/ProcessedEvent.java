package io.switchboard.message;

import io.vertx.core.buffer.Buffer;

import java.util.Objects;

/**
 * An event that passed dedup, reorder and the lifecycle state machine, with the conversation snapshot
 * taken right after it was applied. Published by the state stage to every dispatcher.
 *
 * @param snapshot the conversation snapshot as compact JSON bytes, encoded once for all targets; {@code null} when no
 *                 configured target reads it ({@code TargetConfig.readsSnapshot})
 * @param stage    the conversation's lifecycle stage count after this event
 */
public record ProcessedEvent(PipelineEvent event, String state, int stage, Buffer snapshot, long processedAt) {

  private static final Buffer NO_SNAPSHOT = Buffer.buffer("null");

  public ProcessedEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(state, "state");
  }

  /** The snapshot, or JSON {@code null} where none was taken: what a JSON writer embeds. */
  public Buffer snapshotJson() {
    return snapshot == null ? NO_SNAPSHOT : snapshot;
  }
}
