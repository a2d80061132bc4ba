package io.switchboard.park;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One blob replaced atomically and durably, in the park log's record layout ({@code [int length][int crc32]
 * [payload]}): written to a temporary file, forced, renamed over the old one, directory synced. A reader sees the
 * previous blob or the new one, whole, never a mix; a damaged file is reported, never half-read. What stage
 * snapshots are stored in.
 */
public final class SnapshotFile {

  private SnapshotFile() {
  }

  /** Durably replaces {@code file} with {@code payload}. Blocking. */
  public static void write(Path file, byte[] payload) throws IOException {
    write(file, payload, true);
  }

  /**
   * Replaces {@code file} with {@code payload}; forced to disk only when {@code durable}. Without it the file
   * survives a process crash, and after an OS crash it holds the old blob, the new one, or fails its checksum on
   * {@link #read}: for hints whose loss only costs work, never correctness. Blocking.
   */
  public static void write(Path file, byte[] payload, boolean durable) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(file.getFileName() + ".tmp");
    ByteBuffer record = ByteBuffer.allocate((int) RecordFormat.recordBytes(payload.length));
    RecordFormat.encode(payload, record);
    try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      Durability.writeFully(channel, record.flip(), 0);
      if (durable) {
        channel.force(false);
      }
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (durable) {
      Durability.syncDirectory(dir);
    }
  }

  /**
   * The blob, or empty when there is none. Blocking.
   *
   * @throws IOException when the file exists but is damaged (wrong length or checksum)
   */
  public static Optional<byte[]> read(Path file) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException none) {
      return Optional.empty();
    }
    if (bytes.length < RecordFormat.HEADER_BYTES) {
      throw new IOException(file + ": " + bytes.length + " bytes is too short for a snapshot");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int length = buffer.getInt(0);
    if (length != bytes.length - RecordFormat.HEADER_BYTES) {
      throw new IOException(file + ": says " + length + " bytes but holds " + (bytes.length - RecordFormat.HEADER_BYTES));
    }
    byte[] payload = new byte[length];
    buffer.get(RecordFormat.HEADER_BYTES, payload);
    if (RecordFormat.checksum(payload, length) != buffer.getInt(4)) {
      throw new IOException(file + ": checksum mismatch");
    }
    return Optional.of(payload);
  }

  /** Removes the blob if there is one. Blocking. */
  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }
}
