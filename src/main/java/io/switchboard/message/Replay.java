package io.switchboard.message;

/** Whether an event is live or replayed from the ingest journal after a restart, and what the replay is for. */
public enum Replay {
  /** Received now from a source. */
  NONE,
  /** Not known to have settled before the restart: it goes all the way again, to every matching target. */
  DELIVER,
  /**
   * Settled before the restart (delivered, dead-lettered or parked) but after the last checkpoint: it only rebuilds
   * dedup and conversation state, and is delivered nowhere.
   */
  RESTORE_ONLY
}
