package io.switchboard.ingest;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;

import java.util.Objects;

/**
 * What {@link EventNormalizer} made of one message: an event for the pipeline, a rejection for the
 * dead-letter queue, or a message that is acknowledged but not this pipeline's business.
 */
public sealed interface NormalizeResult {

  /** A valid conversation detail event, ready for dedup. */
  record Normalized(PipelineEvent event) implements NormalizeResult {
    public Normalized {
      Objects.requireNonNull(event, "event");
    }
  }

  /**
   * A message that must be dead-lettered.
   *
   * @param error          human-readable detail, e.g. every failing schema location
   * @param eventId        envelope {@code id} when it could be read, else {@code null}
   * @param conversationId conversation id when it could be determined, else {@code null}
   */
  record Rejected(DeadLetter.Reason reason, String error, String eventId, String conversationId)
      implements NormalizeResult {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * A message to acknowledge and drop: heartbeats, {@code v2.system.*} messages and conversation snapshot
   * topics. Not a failure, so not a dead letter.
   */
  record Ignored(String why) implements NormalizeResult {
    public Ignored {
      Objects.requireNonNull(why, "why");
    }
  }
}
