package io.switchboard.files;

import io.vertx.core.buffer.Buffer;

/** Building blocks for JSON lines that embed verbatim JSON payloads without re-encoding them. */
public final class JsonLines {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private JsonLines() {
  }

  /**
   * The payload as one line: raw CR/LF bytes become spaces. JSON strings cannot contain raw line breaks,
   * so this only touches insignificant whitespace and the value stays the same JSON.
   */
  public static Buffer oneLine(Buffer json) {
    byte[] bytes = json.getBytes();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n' || bytes[i] == '\r') {
        bytes[i] = ' ';
      }
    }
    return Buffer.buffer(bytes);
  }

  /** A JSON string literal (quoted, escaped) or {@code null}. */
  public static String quote(String value) {
    return value == null ? "null" : appendQuoted(new StringBuilder(value.length() + 2), value).toString();
  }

  /**
   * Appends {@code value} as a JSON string literal, or {@code null}, escaping as Jackson does by default: quote,
   * backslash and control characters; everything else (non-ASCII included) as is. Hot paths (the 202 summary,
   * file lines) use this instead of a Jackson round per string.
   */
  public static StringBuilder appendQuoted(StringBuilder out, String value) {
    if (value == null) {
      return out.append("null");
    }
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }
}
