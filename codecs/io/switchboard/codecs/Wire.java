package io.switchboard.codecs;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed field encoding shared by the wire forms of all Switchboard messages.
 * Strings are an int byte length (-1 for null) followed by UTF-8 bytes; buffers likewise.
 */
final class Wire {

  private Wire() {
  }

  static void writeString(Buffer out, String value) {
    if (value == null) {
      out.appendInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.appendInt(bytes.length).appendBytes(bytes);
  }

  static void writeBuffer(Buffer out, Buffer value) {
    if (value == null) {
      out.appendInt(-1);
      return;
    }
    out.appendInt(value.length()).appendBuffer(value);
  }

  /** Checks the leading version byte of a message, fails loudly on one this node cannot read, returns it. */
  static byte expectVersion(Buffer in, int pos, byte oldest, byte newest, String codec) {
    byte found = in.getByte(pos);
    if (found < oldest || found > newest) {
      throw new IllegalStateException("codec " + codec + " cannot read wire version " + found
          + " (expected " + (oldest == newest ? String.valueOf(newest) : oldest + " to " + newest) + ")");
    }
    return found;
  }

  /** A cursor over a buffer, reading fields in the order they were written. */
  static final class Reader {
    private final Buffer in;
    private int pos;

    Reader(Buffer in, int pos) {
      this.in = in;
      this.pos = pos;
    }

    byte readByte() {
      return in.getByte(pos++);
    }

    int readInt() {
      int v = in.getInt(pos);
      pos += 4;
      return v;
    }

    long readLong() {
      long v = in.getLong(pos);
      pos += 8;
      return v;
    }

    boolean readBoolean() {
      return readByte() != 0;
    }

    String readString() {
      int len = readInt();
      if (len < 0) {
        return null;
      }
      String s = in.getString(pos, pos + len, "UTF-8");
      pos += len;
      return s;
    }

    Buffer readBuffer() {
      int len = readInt();
      if (len < 0) {
        return null;
      }
      Buffer b = in.getBuffer(pos, pos + len);
      pos += len;
      return b;
    }
  }
}
