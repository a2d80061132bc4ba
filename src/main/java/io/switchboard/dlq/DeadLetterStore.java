package io.switchboard.dlq;

import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads the dead-letter queue in one directory: lists and filters entries page by page, finds them by id, reports
 * the queue's depth, and records replay outcomes in an append-only journal beside the DLQ files.
 *
 * <p><b>Blocking:</b> every method reads or writes files. Call them on a worker
 * ({@code vertx.executeBlocking(() -> store.query(q))} or a worker verticle), never on an event loop.
 * <b>Not thread-safe:</b> it caches per-file counts and the replay journal, so one owner (the DLQ writer verticle)
 * makes every call, one at a time (ordered {@code executeBlocking} on its context). Others ask that owner.
 *
 * <p>Order is write order: files by name (the writer stamps them with their creation time), lines within a file.
 * Lines that are not a complete dead letter (a torn last line after a crash, damage) are skipped and counted, never
 * fatal. An unfinished last line of the newest file is treated as a write in flight: neither returned nor counted.
 */
public final class DeadLetterStore {

  /** How many bytes one {@link #query} reads at most before it returns what it has, with a cursor. */
  public static final long DEFAULT_SCAN_BUDGET_BYTES = 128L * 1024 * 1024;

  /** Longer lines are counted as corrupt instead of being held in memory whole. */
  static final int MAX_LINE_BYTES = 256 * 1024 * 1024;

  private final Path dir;
  private final long scanBudgetBytes;
  private final FileCounts counts;
  private final ReplayJournal journal;

  /** A store over {@code dir}, which may not exist yet (the writer creates it). */
  public DeadLetterStore(Path dir) {
    this(dir, DEFAULT_SCAN_BUDGET_BYTES);
  }

  /**
   * @param scanBudgetBytes bytes one {@link #query} may read before returning early, which bounds how long a
   *                        selective query over a large queue holds a worker thread
   */
  public DeadLetterStore(Path dir, long scanBudgetBytes) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (scanBudgetBytes < 1) {
      throw new IllegalArgumentException("scanBudgetBytes must be positive, got " + scanBudgetBytes);
    }
    this.scanBudgetBytes = scanBudgetBytes;
    this.counts = new FileCounts(dir, MAX_LINE_BYTES);
    this.journal = new ReplayJournal(dir);
  }

  /**
   * One page of the query's matches, oldest first.
   *
   * @param entries             up to {@code limit} matches; fewer (even none) does not mean the end
   * @param nextCursor          pass it back to continue; {@code null} only when the scan reached the end of the queue
   * @param corruptLinesSkipped unreadable lines met while reading this page
   */
  public record Page(List<DeadLetterEntry> entries, String nextCursor, long corruptLinesSkipped) {

    public Page {
      entries = List.copyOf(entries);
    }

    /** {@code {"entries":[...],"nextCursor":...,"corruptLinesSkipped":n}}, payloads embedded verbatim. */
    public Buffer toJson() {
      Buffer out = Buffer.buffer(256 + 1024 * entries.size()).appendString("{\"entries\":[");
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out.appendString(",");
        }
        entries.get(i).appendTo(out);
      }
      return out.appendString("],\"nextCursor\":").appendString(JsonText.quote(nextCursor))
          .appendString(",\"corruptLinesSkipped\":").appendString(Long.toString(corruptLinesSkipped))
          .appendString("}");
    }
  }

  /**
   * The queue as a whole.
   *
   * @param files               DLQ files present
   * @param entries             readable entries in them
   * @param replayed            of those, entries whose latest replay succeeded
   * @param depth               {@code entries - replayed}: what still needs attention
   * @param corruptLines        unreadable lines in the DLQ files (torn last lines included)
   * @param corruptJournalLines unreadable lines in the replay journal
   */
  public record Stats(int files, long entries, long replayed, long depth, long corruptLines,
                      long corruptJournalLines) {
  }

  /** The directory read. */
  public Path dir() {
    return dir;
  }

  /**
   * The next page of entries matching {@code query}, starting after its cursor. Stops after {@code limit} matches
   * or after reading {@link #DEFAULT_SCAN_BUDGET_BYTES} (or the configured budget), whichever comes first. Cursors
   * stay valid while entries are appended, so paging never skips or repeats an entry.
   */
  public Page query(DeadLetterQuery query) throws IOException {
    Objects.requireNonNull(query, "query");
    return new PageReader(dir, query, journal.snapshot(), scanBudgetBytes).read();
  }

  /** The entry with this id, if any. Scans the queue. */
  public Optional<DeadLetterEntry> get(String id) throws IOException {
    Objects.requireNonNull(id, "id");
    List<DeadLetterEntry> found = getAll(List.of(id));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /**
   * The entries with these ids, in queue order (oldest first, the order to replay them in); ids not found are left
   * out. One scan for all ids, ending early once all are found.
   */
  public List<DeadLetterEntry> getAll(Collection<String> ids) throws IOException {
    Objects.requireNonNull(ids, "ids");
    return ids.isEmpty() ? List.of() : IdLookup.find(dir, ids, journal.snapshot());
  }

  /** Entries not yet successfully replayed. Cheap when called repeatedly: see {@link #stats()}. */
  public long depth() throws IOException {
    return stats().depth();
  }

  /**
   * Counts over the whole queue. Files are re-read only from where they grew since the last call, so calling this
   * on every metrics scrape costs a directory listing and a {@code stat} per file.
   */
  public Stats stats() throws IOException {
    List<String> files = DlqFiles.list(dir);
    Map<String, FileCounts.Counts> perFile = counts.refresh(files);
    ReplayJournal.Snapshot replays = journal.snapshot();
    String newest = files.isEmpty() ? null : files.get(files.size() - 1);
    long entries = 0;
    long replayed = 0;
    long corrupt = 0;
    for (Map.Entry<String, FileCounts.Counts> file : perFile.entrySet()) {
      FileCounts.Counts c = file.getValue();
      entries += c.entries();
      // Journal lines of deleted files do not count: their entries left the queue with them.
      replayed += Math.min(c.entries(), replays.succeededByFile().getOrDefault(file.getKey(), 0L));
      corrupt += c.corruptLines(file.getKey().equals(newest));
    }
    return new Stats(perFile.size(), entries, replayed, entries - replayed, corrupt, replays.corruptLines());
  }

  /**
   * Records how a replay of dead letter {@code id} ended (appended to the journal and fsync'd; the DLQ files are
   * never rewritten). Finds the entry first, which scans the queue: when the entry is at hand (from
   * {@link #getAll}), use {@link #markReplayed(DeadLetterEntry, String, String, Instant)}.
   *
   * @param outcome {@code delivered}, {@code dead_lettered_again} or {@code requeued}
   * @param target  where it was replayed to, or {@code null}
   * @return the entry with this replay as its latest
   * @throws NoSuchElementException   if there is no dead letter with this id
   * @throws IllegalArgumentException naming {@code outcome} if it is not one of the codes
   */
  public DeadLetterEntry markReplayed(String id, String outcome, String target, Instant at) throws IOException {
    ReplayOutcome.fromCode(outcome);
    Objects.requireNonNull(at, "at");
    DeadLetterEntry entry = get(id).orElseThrow(() -> new NoSuchElementException("no dead letter [" + id + "]"));
    return markReplayed(entry, outcome, target, at);
  }

  /** Like {@link #markReplayed(String, String, String, Instant)} for an entry this store returned. */
  public DeadLetterEntry markReplayed(DeadLetterEntry entry, String outcome, String target, Instant at)
      throws IOException {
    Objects.requireNonNull(entry, "entry");
    return entry.withLastReplay(markReplayed(entry.id(), entry.file(), entry.line(), outcome, target, at));
  }

  /**
   * Like {@link #markReplayed(DeadLetterEntry, String, String, Instant)} for the entry at {@code file}:{@code line}
   * as {@link #getAll} located it: what a caller that holds only the entry's id and place passes back.
   *
   * @return the replay recorded
   */
  public ReplayStatus markReplayed(String id, String file, long line, String outcome, String target, Instant at)
      throws IOException {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(file, "file");
    ReplayStatus status = new ReplayStatus(ReplayOutcome.fromCode(outcome), target, Objects.requireNonNull(at, "at"));
    journal.append(new ReplayJournal.Replay(id, status, file, line));
    return status;
  }
}
