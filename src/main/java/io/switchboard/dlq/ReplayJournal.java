package io.switchboard.dlq;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The append-only sidecar journal of replay outcomes, {@code replays.jsonl}: one JSON line per replay, fsync'd
 * before {@link #append} returns. The DLQ files themselves are never rewritten; an entry's replay status is the
 * last journal line for its id. Read incrementally, like the DLQ files, since it only grows. Not thread-safe: used
 * only by its {@link DeadLetterStore}, whose single owner calls it one call at a time.
 */
final class ReplayJournal {

  static final String FILE_NAME = "replays.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(ReplayJournal.class);
  private static final int MAX_LINE_BYTES = 64 * 1024;

  /** One journal line: the replay of the entry at {@code file}:{@code line}. */
  record Replay(String id, ReplayStatus status, String file, long line) {

    Replay {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(file, "file");
    }

    String toJsonLine() {
      return new JsonObject().put("id", id).put("outcome", status.outcome().code()).put("target", status.target())
          .put("at", status.at().toString()).put("file", file).put("line", line).encode();
    }

    static Replay fromJsonLine(String text) {
      JsonObject json = new JsonObject(text);
      return new Replay(json.getString("id"),
          new ReplayStatus(ReplayOutcome.fromCode(json.getString("outcome")), json.getString("target"),
              Instant.parse(json.getString("at"))),
          json.getString("file"), json.getLong("line"));
    }
  }

  /**
   * The journal as of one read.
   *
   * @param latest           the last replay of each id
   * @param succeededByFile  per DLQ file, how many of its entries' latest replay succeeded
   * @param corruptLines     journal lines that could not be read (a torn last line after a crash, ...)
   */
  record Snapshot(Map<String, Replay> latest, Map<String, Long> succeededByFile, long corruptLines) {

    static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), 0);

    ReplayStatus statusOf(String id) {
      Replay replay = latest.get(id);
      return replay == null ? null : replay.status();
    }
  }

  private final Path dir;
  private final Path path;
  private long size = -1;
  private FileTime modified;
  private long readTo;
  private long lines;
  private long corrupt;
  private long tailLength;
  private final Map<String, Replay> latest = new HashMap<>();
  private Snapshot snapshot = Snapshot.EMPTY;

  ReplayJournal(Path dir) {
    this.dir = dir;
    this.path = dir.resolve(FILE_NAME);
  }

  /** The journal's current content; re-reads only what was appended since the last call. */
  Snapshot snapshot() throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException none) {
      return Snapshot.EMPTY;
    }
    if (attributes.size() == size && attributes.lastModifiedTime().equals(modified)) {
      return snapshot;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      if (!LineScanner.startsLine(channel, readTo)) {
        // No line starts where reading stopped: the file was replaced. Start over rather than trust what was read.
        readTo = 0;
        lines = 0;
        corrupt = 0;
        latest.clear();
      }
      LineScanner scanner = new LineScanner(channel, readTo, lines, MAX_LINE_BYTES);
      while (scanner.next()) {
        if (!scanner.blank()) {
          read(scanner);
        }
      }
      readTo = scanner.endOffset();
      lines = scanner.lineNumber();
      tailLength = scanner.tailLength();
    }
    size = attributes.size();
    modified = attributes.lastModifiedTime();
    Map<String, Long> succeeded = new HashMap<>();
    for (Replay replay : latest.values()) {
      if (replay.status().outcome().succeeded()) {
        succeeded.merge(replay.file(), 1L, Long::sum);
      }
    }
    // Appends and reads are never concurrent (one owner calls the store one call at a time), so an unfinished last
    // line is never a write in flight: it was torn by a crash.
    snapshot = new Snapshot(Map.copyOf(latest), Map.copyOf(succeeded), corrupt + (tailLength > 0 ? 1 : 0));
    return snapshot;
  }

  private void read(LineScanner scanner) {
    try {
      if (scanner.oversized()) {
        throw new DecodeException("line too long");
      }
      Replay replay = Replay.fromJsonLine(new String(scanner.bytes(), 0, scanner.length(), StandardCharsets.UTF_8));
      latest.put(replay.id(), replay);
    } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException
             | DateTimeException e) {
      corrupt++;
      LOG.warn("skipping corrupt replay journal line [{}:{}]", FILE_NAME, scanner.lineNumber());
    }
  }

  /** Appends {@code replay} and forces it to disk before returning. */
  void append(Replay replay) throws IOException {
    boolean created = !Files.exists(path);
    byte[] line = (replay.toJsonLine() + "\n").getBytes(StandardCharsets.UTF_8);
    if (!created && endsTorn()) {
      // Terminate the fragment a crash left behind, or it would swallow this line too.
      byte[] repaired = new byte[line.length + 1];
      repaired[0] = '\n';
      System.arraycopy(line, 0, repaired, 1, line.length);
      line = repaired;
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    if (created) {
      syncDirectory();
    }
  }

  private boolean endsTorn() throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      long length = channel.size();
      if (length == 0) {
        return false;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      return channel.read(last, length - 1) == 1 && last.get(0) != '\n';
    }
  }

  /** A new file's name is durable only once its directory is synced too. */
  private void syncDirectory() {
    try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
      directory.force(true);
    } catch (IOException unsupported) {
      // Some platforms (Windows) cannot open or sync a directory; the line itself is already on disk.
      LOG.debug("could not sync directory [{}]", dir, unsupported);
    }
  }
}
