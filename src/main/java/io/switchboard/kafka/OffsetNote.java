package io.switchboard.kafka;

import java.util.OptionalLong;

/**
 * The metadata Switchboard writes with a committed offset: the partition's settled position at the time. The
 * committed offset itself only moves at checkpoints (the stages' snapshots cover every record before it, as a
 * journal is truncated only then); the note, refreshed every {@code settledNoteMs}, lets the next owner replay the
 * records between the two only to rebuild state, instead of delivering them a second time.
 */
public final class OffsetNote {

  private static final String PREFIX = "sb1 settled=";

  private OffsetNote() {
  }

  public static String of(long settledBefore) {
    return PREFIX + settledBefore;
  }

  /** The noted settled position, or empty when the metadata is not a note (another tool committed it). */
  public static OptionalLong parse(String metadata) {
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(metadata.substring(PREFIX.length()).trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
