package io.switchboard.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Tails the server's file target from where it ended when the watcher was made (so earlier runs against the
 * same server are ignored) until every expected event is in it or nothing has been appended for a quiet
 * period. Blocking: runs on the main thread, never on an event loop.
 */
final class DeliveryWatcher {

  private static final long POLL_MILLIS = 50;

  private final Path file;
  private final ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private final List<DeliveredLine> lines = new ArrayList<>();
  private long offset;

  DeliveryWatcher(Path file) throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    this.offset = Files.exists(file) ? Files.size(file) : 0;
  }

  /**
   * @param lines          every line appended since the watcher was made, in file order
   * @param lastLineMillis wall clock when the last of them was read (to the poll interval)
   * @param complete       whether every expected id was seen before the quiet timeout
   */
  record Result(List<DeliveredLine> lines, long lastLineMillis, boolean complete) {
  }

  Result await(Collection<String> expected, long quietMillis) throws IOException, InterruptedException {
    Set<String> missing = new HashSet<>(expected);
    long lastLine = System.currentTimeMillis();
    while (true) {
      int before = lines.size();
      readAppended();
      long now = System.currentTimeMillis();
      if (lines.size() > before) {
        lastLine = now;
        for (int i = before; i < lines.size(); i++) {
          missing.remove(lines.get(i).eventId());
        }
      }
      if (missing.isEmpty() || now - lastLine >= quietMillis) {
        return new Result(List.copyOf(lines), lastLine, missing.isEmpty());
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private void readAppended() throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      channel.position(offset);
      int read;
      while ((read = channel.read(chunk)) > 0) {
        offset += read;
        chunk.flip();
        split(chunk);
        chunk.clear();
      }
    } catch (NoSuchFileException e) {
      // The server creates the file on its first delivery.
    }
  }

  /** Completes lines at each newline; keeps the unterminated tail for the next read. */
  private void split(ByteBuffer bytes) {
    byte[] array = bytes.array();
    int start = 0;
    for (int i = 0; i < bytes.limit(); i++) {
      if (array[i] == '\n') {
        partial.write(array, start, i - start);
        String line = partial.toString(StandardCharsets.UTF_8);
        partial.reset();
        if (!line.isBlank()) {
          lines.add(DeliveredLine.parse(line));
        }
        start = i + 1;
      }
    }
    partial.write(array, start, bytes.limit() - start);
  }
}
