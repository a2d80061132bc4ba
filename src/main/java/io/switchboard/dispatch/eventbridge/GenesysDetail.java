package io.switchboard.dispatch.eventbridge;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

import java.nio.charset.StandardCharsets;

/**
 * Finds the Genesys notification inside a delivered payload without parsing it into objects or encoding it again:
 * the {@code detail} value of an EventBridge envelope, or the whole payload when it is a Notifications WebSocket
 * message (which is that same object without the envelope).
 *
 * <p>The payload was parsed once at ingest, so it is known to be JSON. Finding the top-level {@code detail} needs
 * no second parse: a scan that follows strings, escapes and nesting finds where each top-level value starts and
 * ends, and the bytes in between are used verbatim, so numbers, key order and unicode escapes reach EventBridge
 * exactly as Genesys sent them, and the entry size is the slice length, with no encoding pass to measure it.
 * An envelope is recognised as the normaliser recognises it: top-level {@code detail-type} and {@code detail}
 * (a repeated key counts by its last occurrence, as in the parse at ingest).
 */
final class GenesysDetail {

  private static final byte[] DETAIL = "detail".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DETAIL_TYPE = "detail-type".getBytes(StandardCharsets.US_ASCII);

  /** Bytes {@code [start, end)} of a JSON value inside a buffer. */
  record Slice(int start, int end) {
    int length() {
      return end - start;
    }

    String text(Buffer buffer) {
      return buffer.getString(start, end, "UTF-8");
    }
  }

  private GenesysDetail() {
  }

  /**
   * The notification's bytes: the envelope's {@code detail} object, or the whole (trimmed) payload when it is not
   * an envelope.
   *
   * @throws IllegalArgumentException if {@code payload} is not a well-formed JSON object
   */
  static Slice locate(Buffer payload) {
    int pos = skipWhitespace(payload, 0);
    int objectStart = pos;
    expect(payload, pos, '{');
    pos = skipWhitespace(payload, pos + 1);
    Slice detail = null;
    boolean hasDetailType = false;
    if (at(payload, pos) == '}') {
      return whole(payload, objectStart, pos + 1);
    }
    while (true) {
      expect(payload, pos, '"');
      int keyEnd = skipString(payload, pos);
      boolean isDetail = keyIs(payload, pos, keyEnd, DETAIL);
      boolean isDetailType = keyIs(payload, pos, keyEnd, DETAIL_TYPE);
      if (!isDetail && !isDetailType && hasEscape(payload, pos, keyEnd)) {
        // "\u0064etail" is still "detail" to a JSON parser: decode the rare escaped key properly.
        String key = (String) Json.decodeValue(payload.getString(pos, keyEnd, "UTF-8"));
        isDetail = "detail".equals(key);
        isDetailType = "detail-type".equals(key);
      }
      pos = skipWhitespace(payload, keyEnd);
      expect(payload, pos, ':');
      int valueStart = skipWhitespace(payload, pos + 1);
      int valueEnd = skipValue(payload, valueStart);
      if (isDetail) {
        detail = at(payload, valueStart) == '{' ? new Slice(valueStart, valueEnd) : null;
      }
      hasDetailType |= isDetailType;
      pos = skipWhitespace(payload, valueEnd);
      byte next = at(payload, pos);
      if (next == '}') {
        return detail != null && hasDetailType ? detail : whole(payload, objectStart, pos + 1);
      }
      expect(payload, pos, ',');
      pos = skipWhitespace(payload, pos + 1);
    }
  }

  private static Slice whole(Buffer payload, int start, int end) {
    if (skipWhitespace(payload, end) != payload.length()) {
      throw malformed("content after the top-level object", end);
    }
    return new Slice(start, end);
  }

  private static boolean keyIs(Buffer b, int quote, int afterQuote, byte[] name) {
    if (afterQuote - quote - 2 != name.length) {
      return false;
    }
    for (int i = 0; i < name.length; i++) {
      if (b.getByte(quote + 1 + i) != name[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasEscape(Buffer b, int quote, int afterQuote) {
    for (int i = quote + 1; i < afterQuote - 1; i++) {
      if (b.getByte(i) == '\\') {
        return true;
      }
    }
    return false;
  }

  /** @return the position just after the value starting at {@code pos} */
  private static int skipValue(Buffer b, int pos) {
    byte first = at(b, pos);
    if (first == '"') {
      return skipString(b, pos);
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      int i = pos;
      while (true) {
        byte c = at(b, i);
        if (c == '"') {
          i = skipString(b, i);
          continue;
        }
        if (c == '{' || c == '[') {
          depth++;
        } else if (c == '}' || c == ']') {
          if (--depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
    }
    int i = pos;
    while (i < b.length()) {
      byte c = b.getByte(i);
      if (c == ',' || c == '}' || c == ']' || isWhitespace(c)) {
        break;
      }
      i++;
    }
    if (i == pos) {
      throw malformed("expected a value", pos);
    }
    return i;
  }

  /** @return the position just after the closing quote of the string opening at {@code quote} */
  private static int skipString(Buffer b, int quote) {
    int i = quote + 1;
    while (true) {
      byte c = at(b, i);
      if (c == '\\') {
        i += 2;
      } else if (c == '"') {
        return i + 1;
      } else {
        i++;
      }
    }
  }

  private static int skipWhitespace(Buffer b, int pos) {
    while (pos < b.length() && isWhitespace(b.getByte(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isWhitespace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private static byte at(Buffer b, int pos) {
    if (pos >= b.length()) {
      throw malformed("unexpected end", pos);
    }
    return b.getByte(pos);
  }

  private static void expect(Buffer b, int pos, char c) {
    if (at(b, pos) != c) {
      throw malformed("expected '" + c + "'", pos);
    }
  }

  private static IllegalArgumentException malformed(String what, int pos) {
    return new IllegalArgumentException("payload is not a well-formed JSON object: " + what + " at byte " + pos);
  }
}
