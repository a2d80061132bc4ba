package io.switchboard.dlq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads the newline-terminated lines of one file, from a byte offset to the end. Bytes after the last newline
 * are not a line: they are reported as the tail, which the caller judges (a write in flight, or torn by a crash).
 */
final class LineScanner {

  private static final int CHUNK = 64 * 1024;

  private final FileChannel channel;
  private final int maxLineBytes;
  private final ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
  private long readPosition;
  private byte[] line = new byte[8 * 1024];
  private int length;
  private boolean oversized;
  private long lineNumber;
  private long endOffset;
  private long tailLength;

  /**
   * @param offset       where a line starts (0, or just after a newline)
   * @param linesBefore  how many lines precede {@code offset}, so line numbers stay those of the file
   * @param maxLineBytes longer lines are reported {@link #oversized()} with their content dropped, so one
   *                     damaged file without newlines cannot exhaust the heap
   */
  LineScanner(FileChannel channel, long offset, long linesBefore, int maxLineBytes) {
    this.channel = channel;
    this.maxLineBytes = maxLineBytes;
    this.readPosition = offset;
    this.endOffset = offset;
    this.lineNumber = linesBefore;
    chunk.limit(0);
  }

  /** Advances to the next complete line; {@code false} at the end of the file (see {@link #tailLength()}). */
  boolean next() throws IOException {
    length = 0;
    oversized = false;
    long consumed = 0;
    while (true) {
      if (!chunk.hasRemaining()) {
        chunk.clear();
        int read = channel.read(chunk, readPosition);
        chunk.flip();
        if (read <= 0) {
          tailLength = consumed;
          return false;
        }
        readPosition += read;
      }
      byte[] bytes = chunk.array();
      int start = chunk.position();
      int end = chunk.limit();
      int newline = start;
      while (newline < end && bytes[newline] != '\n') {
        newline++;
      }
      append(bytes, start, newline - start);
      consumed += newline - start;
      if (newline < end) {
        chunk.position(newline + 1);
        lineNumber++;
        endOffset += consumed + 1;
        return true;
      }
      chunk.position(end);
    }
  }

  private void append(byte[] bytes, int from, int count) {
    if (oversized || count == 0) {
      return;
    }
    if ((long) length + count > maxLineBytes) {
      oversized = true;
      length = 0;
      return;
    }
    if (length + count > line.length) {
      line = Arrays.copyOf(line, Math.min(maxLineBytes, Math.max(line.length * 2, length + count)));
    }
    System.arraycopy(bytes, from, line, length, count);
    length += count;
  }

  /** The current line without its newline; valid up to {@link #length()}, until the next call to {@link #next()}. */
  byte[] bytes() {
    return line;
  }

  int length() {
    return length;
  }

  /** The current line was longer than the limit; its content is not available. */
  boolean oversized() {
    return oversized;
  }

  /** 1-based number of the current line in the file. */
  long lineNumber() {
    return lineNumber;
  }

  /** File offset just after the current line's newline: where the next line starts. */
  long endOffset() {
    return endOffset;
  }

  /** After {@link #next()} returned {@code false}: bytes after the last newline (0 if the file ends with one). */
  long tailLength() {
    return tailLength;
  }

  /** Whether a line starts at {@code offset} of the file: its start, or just after a newline. */
  static boolean startsLine(FileChannel channel, long offset) throws IOException {
    if (offset == 0) {
      return true;
    }
    if (offset > channel.size()) {
      return false;
    }
    ByteBuffer previous = ByteBuffer.allocate(1);
    return channel.read(previous, offset - 1) == 1 && previous.get(0) == '\n';
  }

  /** Whether the current line holds nothing but whitespace. */
  boolean blank() {
    for (int i = 0; i < length; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return !oversized;
  }
}
