package io.switchboard.park;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One segment file, {@code park-<20-digit first offset>.log}: the records with offsets from {@link #firstOffset}
 * (inclusive) to {@link #endOffset()} (exclusive), back to back. The channel is opened on first use, so a long
 * backlog of sealed segments does not hold a file descriptor each.
 */
final class Segment {

  private static final Pattern NAME = Pattern.compile("park-(\\d{20})\\.log");

  final long firstOffset;
  final Path path;
  private long endOffset;
  private long size;
  private FileChannel channel;

  private Segment(Path path, long firstOffset, long endOffset, long size) {
    this.path = Objects.requireNonNull(path, "path");
    this.firstOffset = firstOffset;
    this.endOffset = endOffset;
    this.size = size;
  }

  /** An existing segment file, before recovery has counted its records. */
  static Segment existing(Path path, long firstOffset) {
    return new Segment(path, firstOffset, firstOffset, 0);
  }

  /** Creates the (empty) file of a new segment; the caller makes the directory entry durable. */
  static Segment create(Path dir, long firstOffset) throws IOException {
    Path path = dir.resolve(fileName(firstOffset));
    Segment segment = new Segment(path, firstOffset, firstOffset, 0);
    segment.channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    return segment;
  }

  static String fileName(long firstOffset) {
    return String.format(Locale.ROOT, "park-%020d.log", firstOffset);
  }

  /** The first offset a segment file name stands for, or empty if the name is not a segment's. */
  static OptionalLong parseFileName(String name) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches()) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(matcher.group(1)));
    } catch (NumberFormatException tooLarge) {
      return OptionalLong.empty();
    }
  }

  FileChannel channel() throws IOException {
    if (channel == null) {
      channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return channel;
  }

  long endOffset() {
    return endOffset;
  }

  long size() {
    return size;
  }

  long records() {
    return endOffset - firstOffset;
  }

  /** Accounts for records written (or, during recovery, found) at the end of the file. */
  void extend(long records, long bytes) {
    endOffset += records;
    size += bytes;
  }

  void close() throws IOException {
    if (channel != null) {
      channel.close();
      channel = null;
    }
  }

  void delete() throws IOException {
    close();
    Files.deleteIfExists(path);
  }

  @Override
  public String toString() {
    return path.getFileName() + "[" + firstOffset + ".." + endOffset + ", " + size + " bytes]";
  }
}
