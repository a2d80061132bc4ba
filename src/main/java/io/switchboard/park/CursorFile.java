package io.switchboard.park;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32;

/**
 * The committed read position of a park log: the file {@code cursor}, twelve bytes
 * {@code [long first uncommitted offset][int crc32 of those eight bytes]}.
 *
 * <p>It is replaced atomically (write {@code cursor.tmp}, force it, rename it over {@code cursor}, sync the
 * directory), so a crash leaves either the old or the new position, never a mix: at worst records committed just
 * before the crash are handed out again.
 */
final class CursorFile {

  static final String NAME = "cursor";
  static final String TEMP_NAME = "cursor.tmp";
  private static final int BYTES = Long.BYTES + Integer.BYTES;

  private CursorFile() {
  }

  /**
   * The stored position, or empty when there is none yet.
   *
   * @throws IOException also when the file exists but is damaged
   */
  static OptionalLong read(Path dir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(dir.resolve(NAME));
    } catch (NoSuchFileException none) {
      return OptionalLong.empty();
    }
    if (bytes.length != BYTES) {
      throw new IOException("cursor file has " + bytes.length + " bytes, expected " + BYTES);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long next = buffer.getLong(0);
    if (checksum(next) != buffer.getInt(Long.BYTES) || next < 0) {
      throw new IOException("cursor file fails its checksum");
    }
    return OptionalLong.of(next);
  }

  /** Durably replaces the stored position with {@code firstUncommittedOffset}. */
  static void write(Path dir, long firstUncommittedOffset) throws IOException {
    Path temp = dir.resolve(TEMP_NAME);
    ByteBuffer buffer = ByteBuffer.allocate(BYTES).putLong(firstUncommittedOffset)
        .putInt(checksum(firstUncommittedOffset)).flip();
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      Durability.writeFully(channel, buffer, 0);
      // Without this the rename could reach the disk before the data, leaving an empty cursor after a crash.
      channel.force(false);
    }
    Files.move(temp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    Durability.syncDirectory(dir);
  }

  private static int checksum(long value) {
    CRC32 crc = new CRC32();
    crc.update(ByteBuffer.allocate(Long.BYTES).putLong(0, value));
    return (int) crc.getValue();
  }
}
