package io.switchboard.reorder;

/** Why the reorder buffer let an event go; the metric label is {@link #label()}. */
public enum ReleaseCause {
  /** Its hold ran out, or a later event's did (everything before it must go first): order settled by the bound. */
  BOUND("bound", false),
  /** The lifecycle called it the expected next step ({@code reorder.release: "lifecycle"} only). */
  LIFECYCLE("lifecycle", false),
  /** Its conversation had {@code maxEventsPerConversation} buffered: the earliest left early. */
  OVERFLOW("overflow", true),
  /** Its conversation was evicted to make room for a new one ({@code maxConversationsPerShard}). */
  EVICTED("evicted", true),
  /** Shutdown drained the buffer. */
  FLUSH("flush", true);

  private final String label;
  private final boolean early;

  ReleaseCause(String label, boolean early) {
    this.label = label;
    this.early = early;
  }

  public String label() {
    return label;
  }

  /** It left before its order was settled: a later-arriving earlier event will be late, within the bound or not. */
  public boolean early() {
    return early;
  }
}
