package io.switchboard.config;

import java.util.Locale;
import java.util.Set;

/**
 * The ingest journal and the stage checkpoints: what makes an acknowledged event survive a crash, and state survive
 * a restart (README "Durability").
 *
 * @param journal            whether sources journal what they admit before acknowledging it
 * @param journalDir         one directory per source under it
 * @param journalMaxBytes    unsettled journal bytes per source beyond which ingest answers 429
 * @param segmentBytes       journal segment size
 * @param fsync              when appends are forced to disk
 * @param batchMaxDelayMillis how long a batch may wait for company before it is written (0: only what arrived
 *                           while the previous batch was being written)
 * @param settledNoteMillis  how often each source notes which events have settled, so that a replay after a crash
 *                           delivers only the others again
 * @param checkpointIntervalMillis how often stage state is snapshotted and the journals truncated; 0 disables
 *                           checkpoints (state then starts empty after any restart, and the journal is truncated
 *                           without them)
 * @param snapshotDir        where the dedup and state shards keep their snapshots
 */
public record DurabilityConfig(boolean journal, String journalDir, long journalMaxBytes, long segmentBytes,
                               Fsync fsync, long batchMaxDelayMillis, long settledNoteMillis,
                               long checkpointIntervalMillis,
                               String snapshotDir) {

  /** When journal appends are forced to disk before the source is answered. */
  public enum Fsync {
    /** Each group-commit batch is forced before any of its events is acknowledged. */
    BATCH,
    /** Appends reach the operating system before the acknowledgement, and the disk when it decides. */
    OFF
  }

  public static DurabilityConfig from(ConfigNode journal, ConfigNode checkpoint) {
    journal.allowOnly(Set.of("enabled", "dir", "maxBytes", "segmentBytes", "fsync", "batchMaxDelayMs",
        "settledNoteMs"));
    checkpoint.allowOnly(Set.of("intervalMs", "dir"));
    Fsync policy = Fsync.valueOf(journal.oneOf("fsync", "batch", Set.of("batch", "off")).toUpperCase(Locale.ROOT));
    long segmentBytes = journal.longValue("segmentBytes", 64L << 20, 1L << 16, 1L << 30);
    long maxBytes = journal.longValue("maxBytes", 1L << 30, 1L << 16, 1L << 50);
    if (maxBytes < segmentBytes) {
      throw new ConfigException(journal.path("maxBytes"), "must be at least segmentBytes (" + segmentBytes + ")");
    }
    return new DurabilityConfig(journal.bool("enabled", true), journal.string("dir", "data/journal"), maxBytes,
        segmentBytes, policy, journal.longValue("batchMaxDelayMs", 0, 0, 1000),
        journal.longValue("settledNoteMs", 200, 10, 60_000),
        checkpoint.longValue("intervalMs", 30_000, 0, 3_600_000), checkpoint.string("dir", "data/snapshots"));
  }
}
