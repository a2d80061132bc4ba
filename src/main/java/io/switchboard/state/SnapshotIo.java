package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The few shapes a conversation snapshot is made of: nullable strings and arrays, each with its length first. */
final class SnapshotIo {

  private SnapshotIo() {
  }

  static void writeString(DataOutput out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void writeLongs(DataOutput out, long[] values, int count) throws IOException {
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      out.writeLong(values[i]);
    }
  }

  static long[] readLongs(DataInput in) throws IOException {
    long[] values = new long[length(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readLong();
    }
    return values;
  }

  static void writeInts(DataOutput out, int[] values, int count) throws IOException {
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      out.writeInt(values[i]);
    }
  }

  static int[] readInts(DataInput in) throws IOException {
    int[] values = new int[length(in)];
    for (int i = 0; i < values.length; i++) {
      values[i] = in.readInt();
    }
    return values;
  }

  static void writeBytes(DataOutput out, byte[] values) throws IOException {
    if (values == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(values.length);
    out.write(values);
  }

  static byte[] readBytes(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] values = new byte[length];
    in.readFully(values);
    return values;
  }

  static void writeStrings(DataOutput out, String[] values) throws IOException {
    out.writeInt(values == null ? -1 : values.length);
    if (values != null) {
      for (String value : values) {
        writeString(out, value);
      }
    }
  }

  static String[] readStrings(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    String[] values = new String[length];
    for (int i = 0; i < length; i++) {
      values[i] = readString(in);
    }
    return values;
  }

  private static int length(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > 1 << 24) {
      throw new IOException("snapshot array length " + length + " is out of range");
    }
    return length;
  }
}
