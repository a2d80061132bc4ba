package io.switchboard.ingest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The canonical form of a parsed JSON value, so that two encodings of the same content compare equal:
 * object keys sorted by UTF-16 code units (as in RFC 8785), no whitespace, strings escaped minimally, and
 * numbers written so that an integral value has one spelling ({@code 1}, {@code 1.0} and {@code 1e0} all
 * become {@code 1}). Other non-integral numbers use {@link Double#toString}, which is stable for the same
 * parsed value on one JDK.
 *
 * <p>Accepts what {@link JsonObject} parsing produces: {@link JsonObject}, {@link JsonArray}, {@link Map},
 * {@link List}, {@link CharSequence}, {@link Number}, {@link Boolean}, enums and {@code null}.
 */
public final class CanonicalJson {

  private CanonicalJson() {
  }

  /** The canonical text of {@code value}; mainly for tests and diagnostics (the hot path streams). */
  public static String toCanonicalString(Object value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Writer writer = new Writer(out::write);
    writer.value(value);
    writer.flush();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Receives the canonical UTF-8 bytes in chunks, e.g. {@code MessageDigest::update}. */
  @FunctionalInterface
  interface ByteSink {
    void write(byte[] bytes, int offset, int length);
  }

  /**
   * Encodes straight into a reusable byte buffer that is handed to a {@link ByteSink} when full, so
   * fingerprinting a body allocates no intermediate strings. Not thread-safe; {@link Fingerprint} keeps one
   * per thread.
   */
  static final class Writer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final ByteSink sink;
    private final byte[] buf = new byte[2048];
    private int count;

    Writer(ByteSink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** Drops anything buffered, e.g. after a previous use failed half way. */
    void reset() {
      count = 0;
    }

    void flush() {
      if (count > 0) {
        sink.write(buf, 0, count);
        count = 0;
      }
    }

    /** UTF-8 of {@code s} with no JSON quoting or escaping. */
    void raw(String s) {
      utf8(s, false);
    }

    void rawByte(char c) {
      ensure(1);
      buf[count++] = (byte) c;
    }

    void value(Object value) {
      if (value == null) {
        ascii("null");
      } else if (value instanceof JsonObject) {
        object(((JsonObject) value).getMap());
      } else if (value instanceof Map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) value;
        object(map);
      } else if (value instanceof JsonArray) {
        array(((JsonArray) value).getList());
      } else if (value instanceof List) {
        array((List<?>) value);
      } else if (value instanceof CharSequence) {
        string(value.toString());
      } else if (value instanceof Number) {
        number((Number) value);
      } else if (value instanceof Boolean) {
        ascii((Boolean) value ? "true" : "false");
      } else if (value instanceof Enum) {
        string(((Enum<?>) value).name());
      } else {
        throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
      }
    }

    private void object(Map<String, Object> map) {
      rawByte('{');
      int size = map.size();
      if (size > 0) {
        String[] keys = map.keySet().toArray(new String[size]);
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
          if (i > 0) {
            rawByte(',');
          }
          string(keys[i]);
          rawByte(':');
          value(map.get(keys[i]));
        }
      }
      rawByte('}');
    }

    private void array(List<?> list) {
      rawByte('[');
      for (int i = 0, n = list.size(); i < n; i++) {
        if (i > 0) {
          rawByte(',');
        }
        value(list.get(i));
      }
      rawByte(']');
    }

    private void number(Number n) {
      if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
        integer(n.longValue());
      } else if (n instanceof Double || n instanceof Float) {
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          throw new UnrepresentableNumberException(d);
        }
        // Integral doubles up to 2^53 are exact as longs; this also folds -0.0 into 0.
        if (d == Math.rint(d) && Math.abs(d) < 0x1p53) {
          integer((long) d);
        } else {
          ascii(Double.toString(d));
        }
      } else if (n instanceof BigInteger) {
        BigInteger big = (BigInteger) n;
        if (big.bitLength() < 64) {
          integer(big.longValue());
        } else {
          ascii(big.toString());
        }
      } else if (n instanceof BigDecimal) {
        BigDecimal dec = ((BigDecimal) n).stripTrailingZeros();
        ascii(dec.scale() <= 0 ? dec.toBigIntegerExact().toString() : dec.toString());
      } else {
        ascii(n.toString());
      }
    }

    private void integer(long v) {
      if (v == Long.MIN_VALUE) {
        ascii(Long.toString(v));
        return;
      }
      ensure(20);
      if (v < 0) {
        buf[count++] = '-';
        v = -v;
      }
      int digits = 1;
      for (long rest = v / 10; rest != 0; rest /= 10) {
        digits++;
      }
      for (int i = count + digits - 1; i >= count; i--) {
        buf[i] = (byte) ('0' + (v % 10));
        v /= 10;
      }
      count += digits;
    }

    private void string(String s) {
      rawByte('"');
      utf8(s, true);
      rawByte('"');
    }

    private void ascii(String s) {
      for (int i = 0, n = s.length(); i < n; i++) {
        rawByte(s.charAt(i));
      }
    }

    private void utf8(String s, boolean jsonEscape) {
      for (int i = 0, n = s.length(); i < n; i++) {
        char c = s.charAt(i);
        if (c < 0x80) {
          if (jsonEscape && (c < 0x20 || c == '"' || c == '\\')) {
            escape(c);
          } else {
            ensure(1);
            buf[count++] = (byte) c;
          }
        } else if (c < 0x800) {
          ensure(2);
          buf[count++] = (byte) (0xc0 | (c >> 6));
          buf[count++] = (byte) (0x80 | (c & 0x3f));
        } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, s.charAt(++i));
          ensure(4);
          buf[count++] = (byte) (0xf0 | (cp >> 18));
          buf[count++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          buf[count++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          buf[count++] = (byte) (0x80 | (cp & 0x3f));
        } else if (Character.isSurrogate(c)) {
          // A lone surrogate (from a \\uD8xx escape) has no UTF-8 form; a fixed escape keeps it stable.
          unicodeEscape(c);
        } else {
          ensure(3);
          buf[count++] = (byte) (0xe0 | (c >> 12));
          buf[count++] = (byte) (0x80 | ((c >> 6) & 0x3f));
          buf[count++] = (byte) (0x80 | (c & 0x3f));
        }
      }
    }

    private void escape(char c) {
      switch (c) {
        case '"': ascii("\\\""); break;
        case '\\': ascii("\\\\"); break;
        case '\b': ascii("\\b"); break;
        case '\f': ascii("\\f"); break;
        case '\n': ascii("\\n"); break;
        case '\r': ascii("\\r"); break;
        case '\t': ascii("\\t"); break;
        default: unicodeEscape(c);
      }
    }

    private void unicodeEscape(char c) {
      ensure(6);
      buf[count++] = '\\';
      buf[count++] = 'u';
      buf[count++] = HEX[(c >> 12) & 0xf];
      buf[count++] = HEX[(c >> 8) & 0xf];
      buf[count++] = HEX[(c >> 4) & 0xf];
      buf[count++] = HEX[c & 0xf];
    }

    private void ensure(int room) {
      if (count + room > buf.length) {
        flush();
      }
    }
  }
}
