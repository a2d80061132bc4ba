package io.switchboard.journal;

import io.switchboard.park.SnapshotFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which of a source's events had settled, as last noted: every one up to {@code through}, and those in the ascending
 * inclusive {@code ranges} {@code [from0, to0, from1, to1, ...]} beyond it. Kept in one small file beside the
 * journal and rewritten a few times a second; a replay after a crash uses it to deliver again only what had not
 * settled. Blocking file work.
 */
record SettledRanges(long through, long[] ranges) {

  static final SettledRanges NONE = new SettledRanges(0, new long[0]);

  void write(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate((1 + ranges.length) * Long.BYTES).putLong(through);
    for (long bound : ranges) {
      bytes.putLong(bound);
    }
    // Not forced: a lost or stale note only makes a replay deliver more again, and a torn one fails its checksum.
    SnapshotFile.write(file, bytes.array(), false);
  }

  /** What was last written, or none; a damaged file counts as none (replay then delivers more, never less). */
  static SettledRanges read(Path file) {
    Optional<byte[]> bytes;
    try {
      bytes = SnapshotFile.read(file);
    } catch (IOException damaged) {
      return NONE;
    }
    if (bytes.isEmpty() || bytes.get().length % (2 * Long.BYTES) != Long.BYTES) {
      return NONE;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes.get());
    long through = buffer.getLong();
    long[] ranges = new long[bytes.get().length / Long.BYTES - 1];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = buffer.getLong();
    }
    return new SettledRanges(through, ranges);
  }

  /** Whether {@code seq} had settled. */
  boolean contains(long seq) {
    return seq <= through || inRanges(ranges, seq);
  }

  /** Whether {@code seq} lies in one of the ranges (binary search over the ascending bounds). */
  static boolean inRanges(long[] ranges, long seq) {
    int low = 0;
    int high = ranges.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (seq < ranges[2 * mid]) {
        high = mid - 1;
      } else if (seq > ranges[2 * mid + 1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }
}
