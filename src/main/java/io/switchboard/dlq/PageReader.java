package io.switchboard.dlq;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads one page of a query: from the cursor onwards, until the page is full, the budget spent or the queue ends. */
final class PageReader {

  private final Path dir;
  private final DeadLetterQuery query;
  private final EntryMatcher matcher;
  private final ReplayJournal.Snapshot replays;
  private final long budgetBytes;
  private final List<DeadLetterEntry> found = new ArrayList<>();
  private long corrupt;
  private long scanned;

  PageReader(Path dir, DeadLetterQuery query, ReplayJournal.Snapshot replays, long budgetBytes) {
    this.dir = dir;
    this.query = query;
    this.matcher = new EntryMatcher(query);
    this.replays = replays;
    this.budgetBytes = budgetBytes;
  }

  DeadLetterStore.Page read() throws IOException {
    Cursor start = query.cursor() == null ? null : Cursor.decode(query.cursor());
    List<String> files = DlqFiles.list(dir);
    for (int i = 0; i < files.size(); i++) {
      String name = files.get(i);
      if (start != null && name.compareTo(start.file()) < 0) {
        continue;
      }
      try {
        Cursor next = readFile(name, start != null && name.equals(start.file()) ? start : null, i == files.size() - 1);
        if (next != null) {
          return new DeadLetterStore.Page(found, next.encode(), corrupt);
        }
      } catch (NoSuchFileException deleted) {
        // Removed (by retention) since the listing: continue with the next file.
      }
    }
    return new DeadLetterStore.Page(found, null, corrupt);
  }

  /** Reads one file from {@code resume} (or its start); returns where the next page starts, if this one ended here. */
  private Cursor readFile(String name, Cursor resume, boolean newest) throws IOException {
    try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
      long offset = resume == null ? 0 : resume.offset();
      long linesBefore = resume == null ? 0 : resume.line();
      // Not a line boundary: the file was replaced. Count lines from its start and skip those already read.
      long skipThrough = 0;
      if (!LineScanner.startsLine(channel, offset)) {
        skipThrough = linesBefore;
        offset = 0;
        linesBefore = 0;
      }
      LineScanner lines = new LineScanner(channel, offset, linesBefore, DeadLetterStore.MAX_LINE_BYTES);
      long consumedLine = linesBefore;
      long consumedOffset = offset;
      while (lines.next()) {
        scanned += lines.endOffset() - consumedOffset;
        if (lines.lineNumber() > skipThrough && take(lines, name) && found.size() > query.limit()) {
          // One match beyond the page proves there is more; the next page starts at that match.
          found.remove(found.size() - 1);
          return new Cursor(name, consumedLine, consumedOffset);
        }
        consumedLine = lines.lineNumber();
        consumedOffset = lines.endOffset();
        if (scanned >= budgetBytes) {
          return new Cursor(name, consumedLine, consumedOffset);
        }
      }
      if (lines.tailLength() > 0 && !newest) {
        // A torn last line: the writer never appends to an older file again, so it will never be completed.
        corrupt++;
      }
      return null;
    }
  }

  /** Adds the current line's entry if it matches; counts it if it is corrupt. */
  private boolean take(LineScanner lines, String file) {
    if (lines.blank()) {
      return false;
    }
    if (lines.oversized()) {
      corrupt++;
      return false;
    }
    if (!matcher.mightMatch(lines.bytes(), lines.length())) {
      return false;
    }
    DeadLetterEntry entry = EntryParser.parse(lines.bytes(), lines.length(), file, lines.lineNumber());
    if (entry == null) {
      corrupt++;
      return false;
    }
    ReplayStatus status = replays.statusOf(entry.id());
    entry = status == null ? entry : entry.withLastReplay(status);
    if (!matcher.matches(entry)) {
      return false;
    }
    found.add(entry);
    return true;
  }
}
