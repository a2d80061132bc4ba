package io.switchboard.dryrun;

import io.switchboard.files.JsonLines;
import io.vertx.core.buffer.Buffer;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --out dir}: each target's shaped payloads, one JSON line each, in {@code dir/<targetId>.jsonl}, in the order
 * the target would receive them. Every enabled target gets its file, empty when nothing matched; files from an earlier
 * run are replaced. A payload's raw line breaks (insignificant whitespace) become spaces, as in the file target.
 */
final class PayloadFiles implements Closeable {

  private final Map<String, OutputStream> files = new LinkedHashMap<>();

  PayloadFiles(Path dir, List<String> targetIds) throws IOException {
    Files.createDirectories(dir);
    try {
      for (String id : targetIds) {
        files.put(id, new BufferedOutputStream(Files.newOutputStream(dir.resolve(id + ".jsonl")), 1 << 16));
      }
    } catch (IOException e) {
      close();
      throw e;
    }
  }

  /** @throws UncheckedIOException when the file cannot be written */
  void write(String targetId, Buffer payload) {
    OutputStream file = files.get(targetId);
    try {
      file.write(JsonLines.oneLine(payload).getBytes());
      file.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the payloads of target " + targetId + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (OutputStream file : files.values()) {
      try {
        file.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
