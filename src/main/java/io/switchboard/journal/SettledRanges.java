package io.switchboard.journal;

import io.switchboard.park.SnapshotFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The events a checkpoint found settled beyond the journal's truncation point, as ascending inclusive ranges
 * {@code [from0, to0, from1, to1, ...]}, kept in one small file beside the journal. Blocking file work.
 */
final class SettledRanges {

  private static final long[] NONE = new long[0];

  private SettledRanges() {
  }

  static void write(Path file, long[] ranges) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(ranges.length * Long.BYTES);
    for (long bound : ranges) {
      bytes.putLong(bound);
    }
    SnapshotFile.write(file, bytes.array());
  }

  /** The ranges last written, or none; a damaged file counts as none (replay then repeats more, never less). */
  static long[] read(Path file) {
    Optional<byte[]> bytes;
    try {
      bytes = SnapshotFile.read(file);
    } catch (IOException damaged) {
      return NONE;
    }
    if (bytes.isEmpty() || bytes.get().length % (2 * Long.BYTES) != 0) {
      return NONE;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes.get());
    long[] ranges = new long[bytes.get().length / Long.BYTES];
    for (int i = 0; i < ranges.length; i++) {
      ranges[i] = buffer.getLong();
    }
    return ranges;
  }

  /** Whether {@code seq} lies in one of the ranges (binary search over the ascending bounds). */
  static boolean contains(long[] ranges, long seq) {
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
