package io.switchboard.dryrun;

import io.vertx.core.buffer.Buffer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads a capture line by line as bytes, not text: a line is a {@code POST /events} body, and the server judges its
 * bytes (UTF-8 well-formedness, byte order marks) before it parses them. Lines end at LF, with an optional CR before
 * it. A line longer than {@code keep} bytes is returned cut to {@code keep}, with its real length: it would be
 * refused unread.
 */
final class CaptureReader implements Closeable {

  /** One line: its 1-based number, its bytes (perhaps cut short), and its real length. */
  record Line(long number, Buffer bytes, long length) {
  }

  private final InputStream in;
  private final int keep;
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPos;
  private int chunkEnd;
  private long position;
  private long number;

  CaptureReader(InputStream in, int keep) {
    this.in = Objects.requireNonNull(in, "in");
    this.keep = keep;
  }

  /** The next line, or {@code null} at the end. */
  Line next() throws IOException {
    byte[] line = new byte[256];
    int kept = 0;
    long length = 0;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkEnd && !fill()) {
        if (!any) {
          return null;
        }
        break;
      }
      any = true;
      byte b = chunk[chunkPos++];
      position++;
      if (b == '\n') {
        break;
      }
      if (kept < keep) {
        if (kept == line.length) {
          line = Arrays.copyOf(line, (int) Math.min((long) keep, 2L * line.length));
        }
        line[kept++] = b;
      }
      length++;
    }
    if (length > 0 && length <= kept && line[kept - 1] == '\r') {
      kept--;
      length--;
    }
    return new Line(++number, Buffer.buffer(Arrays.copyOf(line, kept)), length);
  }

  /** Bytes consumed so far. */
  long position() {
    return position;
  }

  private boolean fill() throws IOException {
    int n = in.read(chunk);
    if (n <= 0) {
      return false;
    }
    chunkPos = 0;
    chunkEnd = n;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
