package io.switchboard.park;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads and validates one record at a time from segment files, through a read-ahead buffer so that reading a run
 * of small records costs one system call per buffer rather than two per record.
 *
 * <p>The buffer is keyed by channel and file position. That is safe because a segment is append-only: the bytes
 * at a position never change once written. Recovery, which does truncate, uses its own reader and throws it away.
 */
final class RecordReader {

  /** What {@link #read} found at the position. */
  enum Status {
    /** A complete record with a matching checksum; see {@link #payload()} and {@link #recordBytes()}. */
    RECORD,
    /** The position is exactly the end of the data. */
    END,
    /** A record that the data ends in the middle of. */
    TORN,
    /** A complete record that fails its checksum, or a length no record can have. */
    CORRUPT
  }

  private static final int BUFFER_BYTES = 64 * 1024;

  private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
  private FileChannel bufferedChannel;
  private long bufferedFrom;
  private byte[] payload;
  private String problem;

  /**
   * Reads the record at {@code position}, treating {@code end} as the end of the data.
   *
   * @param maxPayload the largest payload a valid record can have
   */
  Status read(FileChannel channel, long position, long end, long maxPayload) throws IOException {
    payload = null;
    problem = null;
    long available = end - position;
    if (available == 0) {
      return Status.END;
    }
    if (available < RecordFormat.HEADER_BYTES) {
      problem = "only " + available + " bytes left for an " + RecordFormat.HEADER_BYTES + "-byte record header";
      return Status.TORN;
    }
    ByteBuffer header = window(channel, position, RecordFormat.HEADER_BYTES);
    int length = header.getInt(0);
    int checksum = header.getInt(4);
    if (length < 0) {
      problem = "negative record length " + length;
      return Status.CORRUPT;
    }
    if (RecordFormat.recordBytes(length) > available) {
      problem = "record of " + length + " bytes but only " + (available - RecordFormat.HEADER_BYTES) + " left";
      return Status.TORN;
    }
    if (length > maxPayload) {
      problem = "record length " + length + " exceeds the largest possible " + maxPayload;
      return Status.CORRUPT;
    }
    byte[] bytes = new byte[length];
    window(channel, position + RecordFormat.HEADER_BYTES, length).get(0, bytes);
    if (RecordFormat.checksum(bytes, length) != checksum) {
      problem = "checksum mismatch in a record of " + length + " bytes";
      return Status.CORRUPT;
    }
    payload = bytes;
    return Status.RECORD;
  }

  /** The payload of the record last read with status {@link Status#RECORD}. */
  byte[] payload() {
    return payload;
  }

  /** On-disk size of the record last read with status {@link Status#RECORD}. */
  long recordBytes() {
    return RecordFormat.recordBytes(payload.length);
  }

  /** Why the last read did not return a record. */
  String problem() {
    return problem;
  }

  /** Forgets the buffered bytes; needed before reading a file that was truncated and written again. */
  void invalidate() {
    bufferedChannel = null;
    buffer.clear().limit(0);
  }

  /** A buffer holding exactly the {@code length} bytes at {@code position}, from the read-ahead when possible. */
  private ByteBuffer window(FileChannel channel, long position, int length) throws IOException {
    if (length > buffer.capacity()) {
      // A rare outsized record is read on its own rather than growing the shared buffer for good.
      ByteBuffer oneOff = ByteBuffer.allocate(length);
      fill(channel, oneOff, position, length);
      return oneOff.flip();
    }
    boolean hit = channel == bufferedChannel && position >= bufferedFrom
        && position + length <= bufferedFrom + buffer.limit();
    if (!hit) {
      buffer.clear();
      fill(channel, buffer, position, length);
      buffer.flip();
      bufferedChannel = channel;
      bufferedFrom = position;
    }
    return buffer.slice((int) (position - bufferedFrom), length);
  }

  private static void fill(FileChannel channel, ByteBuffer target, long position, int atLeast) throws IOException {
    while (target.position() < atLeast) {
      int read = channel.read(target, position + target.position());
      if (read < 0) {
        throw new EOFException("segment ends " + (atLeast - target.position()) + " bytes short of position "
            + (position + atLeast));
      }
    }
  }
}
