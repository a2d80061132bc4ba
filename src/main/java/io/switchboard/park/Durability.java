package io.switchboard.park;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The few file-system calls whose ordering makes the park log crash-safe. */
final class Durability {

  private Durability() {
  }

  /**
   * Makes creations, renames and deletions in {@code dir} durable. Forcing a file only covers its contents; on
   * Linux a new or renamed entry survives a crash only once its directory has been synced too.
   */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /** Writes all of {@code source} at {@code position}; a positional write may be short. */
  static void writeFully(FileChannel channel, ByteBuffer source, long position) throws IOException {
    long at = position;
    while (source.hasRemaining()) {
      at += channel.write(source, at);
    }
  }
}
