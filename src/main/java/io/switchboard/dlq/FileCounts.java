package io.switchboard.dlq;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many entries and corrupt lines each DLQ file holds, remembered per file by size and modification time.
 * DLQ files only grow, so an unchanged file is not read again and a grown one is read only from where the last
 * count stopped: a {@code /metrics} scrape costs a directory listing and a few {@code stat}s.
 * Not thread-safe: used only by its {@link DeadLetterStore}, whose single owner calls it one call at a time.
 */
final class FileCounts {

  private static final Logger LOG = LoggerFactory.getLogger(FileCounts.class);

  /**
   * What was counted in one file.
   *
   * @param countedTo    offset just after the last complete line counted
   * @param tailLength   bytes after the last newline: a write in flight in the newest file, a torn line elsewhere
   */
  record Counts(long size, FileTime modified, long countedTo, long lines, long entries, long corrupt,
                long tailLength) {

    static final Counts EMPTY = new Counts(-1, FileTime.fromMillis(0), 0, 0, 0, 0, 0);

    /** Corrupt lines, counting a tail as torn unless its file is the newest (whose writer may still finish it). */
    long corruptLines(boolean newest) {
      return corrupt + (tailLength > 0 && !newest ? 1 : 0);
    }
  }

  private final Path dir;
  private final int maxLineBytes;
  private Map<String, Counts> byFile = new HashMap<>();

  FileCounts(Path dir, int maxLineBytes) {
    this.dir = dir;
    this.maxLineBytes = maxLineBytes;
  }

  /** Up-to-date counts of {@code files} (a listing of the directory, oldest first), in that order. */
  Map<String, Counts> refresh(List<String> files) throws IOException {
    Map<String, Counts> fresh = new LinkedHashMap<>();
    for (String name : files) {
      Counts known = byFile.getOrDefault(name, Counts.EMPTY);
      try {
        fresh.put(name, update(name, known));
      } catch (NoSuchFileException deleted) {
        // Removed (by retention) since the listing: it simply no longer counts.
      }
    }
    byFile = fresh;
    return fresh;
  }

  private Counts update(String name, Counts known) throws IOException {
    Path path = dir.resolve(name);
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    if (attributes.size() == known.size() && attributes.lastModifiedTime().equals(known.modified())) {
      return known;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      // Counting goes on where it stopped if a line still starts there; otherwise the file was replaced.
      Counts from = LineScanner.startsLine(channel, known.countedTo()) ? known : Counts.EMPTY;
      LineScanner lines = new LineScanner(channel, from.countedTo(), from.lines(), maxLineBytes);
      long entries = from.entries();
      long corrupt = from.corrupt();
      while (lines.next()) {
        if (lines.blank()) {
          continue;
        }
        if (!lines.oversized() && EntryParser.parse(lines.bytes(), lines.length(), name, lines.lineNumber()) != null) {
          entries++;
        } else {
          corrupt++;
          LOG.warn("skipping corrupt dead-letter line [{}:{}]", name, lines.lineNumber());
        }
      }
      return new Counts(attributes.size(), attributes.lastModifiedTime(), lines.endOffset(), lines.lineNumber(),
          entries, corrupt, lines.tailLength());
    }
  }
}
