package io.switchboard.message;

/** The dedup stage's answer to ingest for one event. */
public enum DedupVerdict {
  /** First time seen within the window: forwarded to reorder. */
  ACCEPTED,
  /** Its envelope id was seen within the window. */
  DUPLICATE_ID,
  /** Its content fingerprint was seen within the window (a re-publish under a new id). */
  DUPLICATE_CONTENT;

  public boolean isDuplicate() {
    return this != ACCEPTED;
  }
}
