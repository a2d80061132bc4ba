package io.switchboard.reorder;

import java.util.Objects;

/**
 * Bounds and timings of a {@link ReorderBuffer}, validated at construction.
 *
 * @param release                  when a buffered event may leave
 * @param windowMillis             the cap on the lateness bound ({@code reorder.windowMs}); a conversation that
 *                                 ended is remembered at least this long
 * @param maxConversations         conversations tracked at once; beyond it the least recently active one is
 *                                 evicted (its buffered events released first)
 * @param maxEventsPerConversation events buffered per conversation; beyond it the earliest are released early
 * @param idleRetentionMillis      how long a conversation without new events is remembered (last released time
 *                                 and oracle), so that lateness and "expected next" keep working; at least the
 *                                 window, so that nothing still buffered is ever forgotten
 */
public record ReorderSettings(ReleaseMode release, long windowMillis, int maxConversations,
                              int maxEventsPerConversation, long idleRetentionMillis) {

  public static final long DEFAULT_WINDOW_MILLIS = 2_000;
  public static final int DEFAULT_MAX_CONVERSATIONS = 100_000;
  public static final int DEFAULT_MAX_EVENTS_PER_CONVERSATION = 256;
  public static final long DEFAULT_IDLE_RETENTION_MILLIS = 600_000;
  /** How long an ended conversation is remembered, so that its stragglers are recognised as late. */
  static final long FINISHED_RETENTION_MILLIS = 60_000;

  public ReorderSettings {
    Objects.requireNonNull(release, "release");
    if (windowMillis < 0) {
      throw new IllegalArgumentException("windowMillis must not be negative: " + windowMillis);
    }
    if (maxConversations < 1) {
      throw new IllegalArgumentException("maxConversations must be at least 1: " + maxConversations);
    }
    if (maxEventsPerConversation < 1) {
      throw new IllegalArgumentException("maxEventsPerConversation must be at least 1: "
          + maxEventsPerConversation);
    }
    if (idleRetentionMillis < windowMillis) {
      throw new IllegalArgumentException("idleRetentionMillis (" + idleRetentionMillis
          + ") must be at least windowMillis (" + windowMillis + ")");
    }
  }

  /** Ordered release, 2 s cap, 100,000 conversations, 256 events per conversation, 10 min idle retention. */
  public static ReorderSettings defaults() {
    return new ReorderSettings(ReleaseMode.ORDERED, DEFAULT_WINDOW_MILLIS, DEFAULT_MAX_CONVERSATIONS,
        DEFAULT_MAX_EVENTS_PER_CONVERSATION, DEFAULT_IDLE_RETENTION_MILLIS);
  }

  /** How long a conversation that ended is remembered after its last event: a minute, within the bounds. */
  long finishedRetentionMillis() {
    return Math.min(idleRetentionMillis, Math.max(windowMillis, FINISHED_RETENTION_MILLIS));
  }
}
