package io.switchboard.files;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/** Building blocks for JSON lines that embed verbatim JSON payloads without re-encoding them. */
public final class JsonLines {

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
    return value == null ? "null" : Json.encode(value);
  }
}
