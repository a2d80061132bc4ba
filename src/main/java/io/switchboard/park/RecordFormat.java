package io.switchboard.park;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The record layout shared by the writer and the reader: {@code [int length][int crc32][length bytes]}, big-endian.
 *
 * <p>The checksum covers the length field as well as the payload. A zero-filled region (which some file systems
 * expose after a crash when the file size was extended but the data never landed) would otherwise read back as a
 * stream of valid empty records, since the CRC-32 of nothing is 0.
 */
final class RecordFormat {

  /** Bytes in front of every payload: length and checksum. */
  static final int HEADER_BYTES = 8;

  private RecordFormat() {
  }

  /** Bytes one record occupies on disk. */
  static long recordBytes(int payloadLength) {
    return HEADER_BYTES + (long) payloadLength;
  }

  static int checksum(byte[] payload, int length) {
    CRC32 crc = new CRC32();
    crc.update(length >>> 24);
    crc.update(length >>> 16);
    crc.update(length >>> 8);
    crc.update(length);
    crc.update(payload, 0, length);
    return (int) crc.getValue();
  }

  /** Appends one record at {@code target}'s position. */
  static void encode(byte[] payload, ByteBuffer target) {
    target.putInt(payload.length);
    target.putInt(checksum(payload, payload.length));
    target.put(payload);
  }
}
