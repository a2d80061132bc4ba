package io.switchboard.ingest;

import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Splits a body holding a top-level JSON array into the exact bytes of each element, so every event of a
 * batch keeps its original payload for delivery and none is re-encoded.
 *
 * <p>The scanner only finds boundaries: it tracks strings, escapes and bracket nesting and checks that
 * brackets match, elements are comma-separated and nothing follows the array. It does not validate the
 * inside of an element; that is left to the one real parse each element gets afterwards.
 */
public final class JsonArraySplitter {

  /** What a body starts with, for choosing between batch and single-event handling. */
  public enum BodyShape { ARRAY, OBJECT, OTHER }

  private JsonArraySplitter() {
  }

  /** Looks only at the first non-whitespace byte; {@link BodyShape#OTHER} for an empty or blank body. */
  public static BodyShape shapeOf(Buffer body) {
    int pos = skipWhitespace(body, 0);
    if (pos >= body.length()) {
      return BodyShape.OTHER;
    }
    byte b = body.getByte(pos);
    return b == '[' ? BodyShape.ARRAY : b == '{' ? BodyShape.OBJECT : BodyShape.OTHER;
  }

  /**
   * Returns the elements of the array in {@code body}, each trimmed of surrounding whitespace.
   *
   * <p>Each element is copied out rather than sliced: a slice would keep the whole batch body alive for as
   * long as any one of its events waits in a reorder window or a retry queue.
   *
   * @throws MalformedJsonException if {@code body} is not a well-bracketed JSON array
   */
  public static List<Buffer> split(Buffer body) {
    return split(body, Integer.MAX_VALUE);
  }

  /**
   * As {@link #split(Buffer)}, but stops scanning once the array turns out to hold more than {@code maxElements}.
   *
   * @throws TooManyItemsException if the array holds more than {@code maxElements} elements
   */
  public static List<Buffer> split(Buffer body, int maxElements) {
    Objects.requireNonNull(body, "body");
    int len = body.length();
    int pos = skipWhitespace(body, 0);
    if (pos >= len) {
      throw new MalformedJsonException("empty body, expected '['", pos);
    }
    if (body.getByte(pos) != '[') {
      throw new MalformedJsonException("expected '[' but found " + describe(body.getByte(pos)), pos);
    }
    List<Buffer> elements = new ArrayList<>();
    pos = skipWhitespace(body, pos + 1);
    if (pos < len && body.getByte(pos) == ']') {
      expectEnd(body, pos + 1);
      return elements;
    }
    while (true) {
      if (elements.size() == maxElements) {
        throw new TooManyItemsException(maxElements);
      }
      int end = scanValue(body, pos);
      elements.add(body.getBuffer(pos, end));
      pos = skipWhitespace(body, end);
      if (pos >= len) {
        throw new MalformedJsonException("unterminated array, expected ',' or ']'", pos);
      }
      byte b = body.getByte(pos);
      if (b == ']') {
        break;
      }
      if (b != ',') {
        throw new MalformedJsonException("expected ',' or ']' but found " + describe(b), pos);
      }
      pos = skipWhitespace(body, pos + 1);
    }
    expectEnd(body, pos + 1);
    return elements;
  }

  private static void expectEnd(Buffer body, int from) {
    int pos = skipWhitespace(body, from);
    if (pos < body.length()) {
      throw new MalformedJsonException("unexpected " + describe(body.getByte(pos)) + " after the array", pos);
    }
  }

  /** Returns the offset just past the value starting at {@code pos}. */
  private static int scanValue(Buffer body, int pos) {
    int len = body.length();
    if (pos >= len) {
      throw new MalformedJsonException("expected a value but the body ended", pos);
    }
    byte b = body.getByte(pos);
    switch (b) {
      case '"':
        return scanString(body, pos);
      case '{':
      case '[':
        return scanContainer(body, pos);
      default:
        int end = pos;
        while (end < len && isScalarByte(body.getByte(end))) {
          end++;
        }
        if (end == pos) {
          throw new MalformedJsonException("expected a value but found " + describe(b), pos);
        }
        return end;
    }
  }

  private static int scanContainer(Buffer body, int start) {
    int len = body.length();
    // Expected closing brackets, innermost last; an explicit stack so deep nesting cannot overflow the thread stack.
    byte[] closers = new byte[16];
    int depth = 0;
    closers[depth++] = closerOf(body.getByte(start));
    int pos = start + 1;
    while (pos < len) {
      byte b = body.getByte(pos);
      if (b == '"') {
        pos = scanString(body, pos);
        continue;
      }
      if (b == '{' || b == '[') {
        if (depth == closers.length) {
          closers = Arrays.copyOf(closers, depth * 2);
        }
        closers[depth++] = closerOf(b);
      } else if (b == '}' || b == ']') {
        if (b != closers[depth - 1]) {
          throw new MalformedJsonException("mismatched " + describe(b) + ", expected " + describe(closers[depth - 1]), pos);
        }
        if (--depth == 0) {
          return pos + 1;
        }
      }
      pos++;
    }
    throw new MalformedJsonException("unterminated " + (closers[0] == '}' ? "object" : "array")
        + " opened at offset " + start + ", body ended", len);
  }

  /** Returns the offset just past the closing quote. UTF-8 continuation bytes never equal '"' or '\\'. */
  private static int scanString(Buffer body, int start) {
    int len = body.length();
    int pos = start + 1;
    while (pos < len) {
      byte b = body.getByte(pos);
      if (b == '\\') {
        pos += 2;
      } else if (b == '"') {
        return pos + 1;
      } else {
        pos++;
      }
    }
    throw new MalformedJsonException("unterminated string opened at offset " + start + ", body ended", len);
  }

  private static int skipWhitespace(Buffer body, int pos) {
    int len = body.length();
    while (pos < len) {
      byte b = body.getByte(pos);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
      pos++;
    }
    return pos;
  }

  private static byte closerOf(byte opener) {
    return opener == '{' ? (byte) '}' : (byte) ']';
  }

  /** Bytes of numbers and the literals true/false/null. */
  private static boolean isScalarByte(byte b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || b == '-' || b == '+' || b == '.';
  }

  private static String describe(byte b) {
    return b >= 0x20 && b < 0x7f ? "'" + (char) b + "'" : String.format("byte 0x%02x", b & 0xff);
  }
}
