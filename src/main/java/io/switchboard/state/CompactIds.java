package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.util.Arrays;

/**
 * A growable column of ids that stores canonical lower-case UUIDs (every Genesys id) as two {@code long}s:
 * 16 bytes per id instead of ~80 for a 36-character {@link String}. Anything else (non-UUID ids, {@code null})
 * is kept as-is in a side array that is only allocated when first needed, so round trips are exact.
 */
final class CompactIds {

  private static final long[] NO_WORDS = new long[0];
  private static final Object NULL_ID = new Object();

  /** Value of each canonical hex digit by character, -1 for anything else. */
  private static final byte[] HEX = new byte[128];

  static {
    Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = (byte) (c - 'a' + 10);
    }
  }

  private long[] words = NO_WORDS;
  private Object[] others;
  private int size;
  /** The two words {@link #parse} produced: scratch of the owning thread, so parsing allocates nothing. */
  private long parsedHi;
  private long parsedLo;

  int size() {
    return size;
  }

  /** Index of {@code id}, or -1. */
  int indexOf(String id) {
    if (id != null && parse(id)) {
      long hi = parsedHi;
      long lo = parsedLo;
      for (int i = 0; i < size; i++) {
        if (words[2 * i] == hi && words[2 * i + 1] == lo && (others == null || others[i] == null)) {
          return i;
        }
      }
      return -1;
    }
    if (others == null) {
      return -1;
    }
    Object wanted = id == null ? NULL_ID : id;
    for (int i = 0; i < size; i++) {
      if (wanted.equals(others[i])) {
        return i;
      }
    }
    return -1;
  }

  /** Grows the storage to hold {@code capacity} ids without further reallocation. */
  void reserve(int capacity) {
    if (2 * capacity > words.length) {
      words = Arrays.copyOf(words, 2 * capacity);
      if (others != null) {
        others = Arrays.copyOf(others, capacity);
      }
    }
  }

  /** Appends {@code id} and returns its index. */
  int add(String id) {
    if (2 * size == words.length) {
      int capacity = size == 0 ? 2 : size < 8 ? size * 2 : size + (size >> 1);
      words = Arrays.copyOf(words, 2 * capacity);
      if (others != null) {
        others = Arrays.copyOf(others, capacity);
      }
    }
    set(size++, id);
    return size - 1;
  }

  /** Index of {@code id}, appending it first if absent. */
  int intern(String id) {
    int i = indexOf(id);
    return i >= 0 ? i : add(id);
  }

  /** Overwrites the id at {@code index}, which must be below {@link #size()} or equal to it while adding. */
  void set(int index, String id) {
    if (id != null && parse(id)) {
      words[2 * index] = parsedHi;
      words[2 * index + 1] = parsedLo;
      if (others != null) {
        others[index] = null;
      }
      return;
    }
    if (others == null) {
      others = new Object[words.length / 2];
    }
    others[index] = id == null ? NULL_ID : id;
  }

  String get(int index) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    Object other = others == null ? null : others[index];
    if (other != null) {
      return other == NULL_ID ? null : (String) other;
    }
    long hi = words[2 * index];
    long lo = words[2 * index + 1];
    char[] out = new char[36];
    hex(out, 0, hi >>> 32, 8);
    out[8] = '-';
    hex(out, 9, hi >>> 16, 4);
    out[13] = '-';
    hex(out, 14, hi, 4);
    out[18] = '-';
    hex(out, 19, lo >>> 48, 4);
    out[23] = '-';
    hex(out, 24, lo, 12);
    return new String(out);
  }

  /** Writes the ids in order; {@link #readFrom} into an empty column restores them exactly. */
  void writeTo(DataOutput out) throws IOException {
    out.writeInt(size);
    for (int i = 0; i < size; i++) {
      Object other = others == null ? null : others[i];
      if (other == null) {
        out.writeByte(0);
        out.writeLong(words[2 * i]);
        out.writeLong(words[2 * i + 1]);
      } else if (other == NULL_ID) {
        out.writeByte(1);
      } else {
        out.writeByte(2);
        SnapshotIo.writeString(out, (String) other);
      }
    }
  }

  void readFrom(DataInput in) throws IOException {
    int count = in.readInt();
    if (count < 0 || count > 1 << 20) {
      throw new IOException("snapshot id column of " + count + " ids");
    }
    reserve(count);
    for (int i = 0; i < count; i++) {
      byte kind = in.readByte();
      if (kind == 0) {
        words[2 * size] = in.readLong();
        words[2 * size + 1] = in.readLong();
        size++;
      } else {
        add(kind == 1 ? null : SnapshotIo.readString(in));
      }
    }
  }

  /** Canonical form only: upper-case or brace-wrapped UUIDs go to the side array, so {@link #get} is exact. */
  static boolean isUuid(String s) {
    return new CompactIds().parse(s);
  }

  /**
   * Validates and parses a canonical lower-case UUID in one pass (into {@link #parsedHi}, {@link #parsedLo}): it
   * runs for every id of every event the state stage applies, so no second pass and no Unicode digit lookup.
   */
  private boolean parse(String s) {
    if (s.length() != 36) {
      return false;
    }
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (c != '-') {
          return false;
        }
        continue;
      }
      int digit = c < 128 ? HEX[c] : -1;
      if (digit < 0) {
        return false;
      }
      if (i < 18) {
        hi = hi << 4 | digit;
      } else {
        lo = lo << 4 | digit;
      }
    }
    parsedHi = hi;
    parsedLo = lo;
    return true;
  }

  private static void hex(char[] out, int at, long value, int digits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = Character.forDigit((int) (value & 0xF), 16);
      value >>>= 4;
    }
  }
}
