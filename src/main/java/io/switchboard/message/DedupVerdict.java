package io.switchboard.message;

/** The dedup stage's answer to ingest for one event. */
public enum DedupVerdict {
  /** First time seen within the window: forwarded to reorder. */
  ACCEPTED,
  /** Its envelope id was seen within the window. */
  DUPLICATE_ID,
  /** Its content fingerprint was seen within the window (a re-publish under a new id). */
  DUPLICATE_CONTENT,
  /**
   * The node does not own the event's shard (it is handing it over, or has not been handed it yet): nothing was
   * remembered, and the source sends the event again to the owner its view names.
   */
  NOT_OWNER;

  public boolean isDuplicate() {
    return this == DUPLICATE_ID || this == DUPLICATE_CONTENT;
  }
}
