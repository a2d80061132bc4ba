package io.switchboard.park;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Brings a park directory back to a consistent state at open: validates every record of every segment, cuts the
 * log off at the first invalid one (see {@link ParkRecovery} for what is truncated and what is set aside), and
 * reconciles the stored cursor with what survived. Every repair is durable before the log is used.
 */
final class LogRecovery {

  /** A recovered log, ready to be served: segments oldest first, the last one to be appended to. */
  record Recovered(List<Segment> segments, long readOffset, Segment readSegment, long readPosition,
                   long nextOffset, long pendingBytes, ParkRecovery report) {
  }

  private static final long MAX_PAYLOAD = ParkLog.MAX_SEGMENT_BYTES - RecordFormat.HEADER_BYTES;

  private final Path dir;
  private final RecordReader reader = new RecordReader();
  private final List<String> notes = new ArrayList<>();
  private final List<Path> quarantined = new ArrayList<>();
  private final List<Segment> listed = new ArrayList<>();
  private final String quarantineSuffix = "." + System.currentTimeMillis() + ".corrupt";
  private long droppedBytes;
  private OptionalLong firstDroppedOffset = OptionalLong.empty();
  private Segment cursorSegment;
  private long cursorPosition;

  private LogRecovery(Path dir) {
    this.dir = dir;
  }

  static Recovered run(Path dir) throws IOException {
    LogRecovery recovery = new LogRecovery(dir);
    try {
      return recovery.recover();
    } catch (IOException | RuntimeException e) {
      recovery.closeAll(e);
      throw e;
    }
  }

  /** Releases what a failed recovery opened, so that retrying the open does not leak file descriptors. */
  private void closeAll(Exception failure) {
    for (Segment segment : listed) {
      try {
        segment.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }

  private Recovered recover() throws IOException {
    // A leftover of a crash in the middle of a commit: the rename never happened, so the old cursor stands.
    Files.deleteIfExists(dir.resolve(CursorFile.TEMP_NAME));
    OptionalLong stored = readCursor();
    List<Segment> segments = scan(listSegments(), stored.orElse(-1));

    long readOffset;
    Segment readSegment = null;
    long readPosition = 0;
    if (segments.isEmpty()) {
      readOffset = stored.orElse(0);
    } else {
      long logStart = segments.get(0).firstOffset;
      long logEnd = segments.get(segments.size() - 1).endOffset();
      if (stored.isEmpty() || stored.getAsLong() < logStart) {
        if (stored.isPresent()) {
          notes.add(String.format(Locale.ROOT, "cursor at offset %d but the oldest record is %d: %d records are gone",
              stored.getAsLong(), logStart, logStart - stored.getAsLong()));
        }
        readOffset = logStart;
        readSegment = segments.get(0);
      } else if (stored.getAsLong() > logEnd) {
        // Only possible when records that had already been consumed were cut off: nothing left is pending, and
        // new records must not reuse offsets that were handed out before.
        notes.add(String.format(Locale.ROOT, "cursor at offset %d is past the end of the log at %d; the log "
            + "restarts empty at the cursor", stored.getAsLong(), logEnd));
        readOffset = stored.getAsLong();
        for (Segment segment : segments) {
          segment.delete();
        }
        segments.clear();
        Durability.syncDirectory(dir);
      } else {
        readOffset = stored.getAsLong();
        readSegment = cursorSegment;
        readPosition = cursorPosition;
        if (readSegment == null) {
          throw new IllegalStateException("cursor " + readOffset + " inside the log but not on a record boundary");
        }
      }
    }
    if (stored.isEmpty() || stored.getAsLong() != readOffset) {
      CursorFile.write(dir, readOffset);
    }
    // Segments a commit had consumed but not yet deleted when the process stopped.
    boolean deleted = false;
    while (segments.size() > 1 && segments.get(0).endOffset() <= readOffset) {
      Segment consumed = segments.remove(0);
      consumed.delete();
      deleted = true;
      if (consumed == readSegment) {
        readSegment = null;
        readPosition = 0;
      }
    }
    if (deleted) {
      Durability.syncDirectory(dir);
    }

    long pendingBytes = 0;
    for (Segment segment : segments) {
      if (segment == readSegment) {
        pendingBytes += segment.size() - readPosition;
      } else if (segment.firstOffset >= readOffset) {
        pendingBytes += segment.size();
      }
    }
    long nextOffset = segments.isEmpty() ? readOffset : segments.get(segments.size() - 1).endOffset();
    ParkRecovery report = new ParkRecovery(nextOffset - readOffset, droppedBytes, firstDroppedOffset, quarantined,
        notes);
    return new Recovered(segments, readOffset, readSegment, readPosition, nextOffset, pendingBytes, report);
  }

  private OptionalLong readCursor() {
    try {
      return CursorFile.read(dir);
    } catch (IOException damaged) {
      // Replaying from the oldest record may repeat deliveries; guessing a position could lose them.
      notes.add("cursor unreadable (" + damaged.getMessage() + "); replaying from the oldest record");
      return OptionalLong.empty();
    }
  }

  private List<Segment> listSegments() throws IOException {
    List<Segment> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        OptionalLong first = Segment.parseFileName(file.getFileName().toString());
        if (first.isPresent()) {
          segments.add(Segment.existing(file, first.getAsLong()));
        }
      }
    }
    segments.sort(Comparator.comparingLong(segment -> segment.firstOffset));
    listed.addAll(segments);
    return segments;
  }

  /** Validates the segments in order and returns those that are kept, counted and cut to their valid records. */
  private List<Segment> scan(List<Segment> segments, long cursor) throws IOException {
    for (int i = 0; i < segments.size(); i++) {
      Segment segment = segments.get(i);
      if (i > 0 && segment.firstOffset != segments.get(i - 1).endOffset()) {
        long expected = segments.get(i - 1).endOffset();
        notes.add(String.format(Locale.ROOT, "%s should start at offset %d: the log continues no further",
            segment.path.getFileName(), expected));
        firstDroppedOffset = OptionalLong.of(expected);
        setAside(segments.subList(i, segments.size()));
        return new ArrayList<>(segments.subList(0, i));
      }
      boolean last = i == segments.size() - 1;
      if (!scanSegment(segment, last, cursor)) {
        setAside(segments.subList(i + 1, segments.size()));
        return new ArrayList<>(segments.subList(0, i + 1));
      }
      if (!last) {
        segment.close();
      }
    }
    return new ArrayList<>(segments);
  }

  /** Counts the valid records of one segment; returns false if it had to be cut short. */
  private boolean scanSegment(Segment segment, boolean last, long cursor) throws IOException {
    FileChannel channel = segment.channel();
    long size = channel.size();
    long position = 0;
    long offset = segment.firstOffset;
    RecordReader.Status status;
    while (true) {
      if (offset == cursor && cursorSegment == null) {
        cursorSegment = segment;
        cursorPosition = position;
      }
      status = reader.read(channel, position, size, MAX_PAYLOAD);
      if (status != RecordReader.Status.RECORD) {
        break;
      }
      position += reader.recordBytes();
      offset++;
    }
    segment.extend(offset - segment.firstOffset, position);
    if (status == RecordReader.Status.END) {
      return true;
    }
    long cut = size - position;
    droppedBytes += cut;
    firstDroppedOffset = OptionalLong.of(offset);
    if (last && (status == RecordReader.Status.TORN || isZeroFilled(channel, position, size))) {
      // The batch being written when the process stopped: append never returned, so nobody relies on it.
      notes.add(String.format(Locale.ROOT, "%s: truncated a torn tail of %d bytes at position %d, record %d (%s)",
          segment.path.getFileName(), cut, position, offset, reader.problem()));
    } else {
      notes.add(String.format(Locale.ROOT, "%s: record %d at position %d is invalid (%s); cut %d bytes, kept "
          + "a copy", segment.path.getFileName(), offset, position, reader.problem(), cut));
      quarantined.add(copyAside(segment.path));
    }
    channel.truncate(position);
    channel.force(true);
    reader.invalidate();
    return false;
  }

  /** Renames whole segments out of the log; their records cannot be reached past the damage before them. */
  private void setAside(List<Segment> unreachable) throws IOException {
    if (unreachable.isEmpty()) {
      return;
    }
    for (Segment segment : unreachable) {
      segment.close();
      long size = Files.size(segment.path);
      Path aside = segment.path.resolveSibling(segment.path.getFileName() + quarantineSuffix);
      Files.move(segment.path, aside, StandardCopyOption.ATOMIC_MOVE);
      droppedBytes += size;
      quarantined.add(aside);
      notes.add(String.format(Locale.ROOT, "set aside %s (%d bytes) as %s", segment.path.getFileName(), size,
          aside.getFileName()));
    }
    Durability.syncDirectory(dir);
  }

  private Path copyAside(Path segmentPath) throws IOException {
    Path copy = segmentPath.resolveSibling(segmentPath.getFileName() + quarantineSuffix);
    Files.copy(segmentPath, copy, StandardCopyOption.REPLACE_EXISTING);
    // The copy must be on disk before the original is truncated, or a crash could lose both.
    try (FileChannel channel = FileChannel.open(copy, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
    Durability.syncDirectory(dir);
    return copy;
  }

  private static boolean isZeroFilled(FileChannel channel, long from, long to) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long position = from;
    while (position < to) {
      buffer.clear().limit((int) Math.min(buffer.capacity(), to - position));
      int read = channel.read(buffer, position);
      if (read < 0) {
        return true;
      }
      for (int i = 0; i < read; i++) {
        if (buffer.get(i) != 0) {
          return false;
        }
      }
      position += read;
    }
    return true;
  }
}
