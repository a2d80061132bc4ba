package io.switchboard.dlq;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Finds entries by id in one pass over the queue, ending as soon as all are found. */
final class IdLookup {

  private static final byte[] ID_FIRST = "{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

  private IdLookup() {
  }

  /** The entries with {@code ids}, in queue order; ids not found are left out. */
  static List<DeadLetterEntry> find(Path dir, Collection<String> ids, ReplayJournal.Snapshot replays)
      throws IOException {
    Set<String> wanted = new LinkedHashSet<>();
    for (String id : ids) {
      wanted.add(Objects.requireNonNull(id, "id"));
    }
    List<DeadLetterEntry> found = new ArrayList<>();
    for (String name : DlqFiles.list(dir)) {
      if (wanted.isEmpty()) {
        break;
      }
      try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.READ)) {
        LineScanner lines = new LineScanner(channel, 0, 0, DeadLetterStore.MAX_LINE_BYTES);
        while (!wanted.isEmpty() && lines.next()) {
          if (lines.oversized() || lines.blank()) {
            continue;
          }
          String leading = leadingId(lines.bytes(), lines.length());
          if (leading != null && !wanted.contains(leading)) {
            continue;
          }
          DeadLetterEntry entry = EntryParser.parse(lines.bytes(), lines.length(), name, lines.lineNumber());
          if (entry != null && wanted.remove(entry.id())) {
            ReplayStatus status = replays.statusOf(entry.id());
            found.add(status == null ? entry : entry.withLastReplay(status));
          }
        }
      } catch (NoSuchFileException deleted) {
        // Removed (by retention) since the listing: its entries are gone.
      }
    }
    return found;
  }

  /**
   * The id of a line in the writer's layout ({@code {"id":"..."} first, without escapes), or {@code null} when the
   * line looks different and must be parsed to tell. The parser rejects a field given twice, so a line starting
   * this way holds this id or is corrupt: skipping it unparsed when the id is not wanted loses nothing.
   */
  static String leadingId(byte[] line, int length) {
    if (length < ID_FIRST.length) {
      return null;
    }
    for (int i = 0; i < ID_FIRST.length; i++) {
      if (line[i] != ID_FIRST[i]) {
        return null;
      }
    }
    for (int end = ID_FIRST.length; end < length; end++) {
      if (line[end] == '\\') {
        return null;
      }
      if (line[end] == '"') {
        return new String(line, ID_FIRST.length, end - ID_FIRST.length, StandardCharsets.UTF_8);
      }
    }
    return null;
  }
}
