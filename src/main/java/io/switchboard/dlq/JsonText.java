package io.switchboard.dlq;

import io.vertx.core.json.Json;

import java.time.Instant;

/** Quoting for JSON built by hand, which is how a payload can be embedded verbatim instead of re-encoded. */
final class JsonText {

  private JsonText() {
  }

  /** A JSON string literal (quoted, escaped) or {@code null}. */
  static String quote(String value) {
    return value == null ? "null" : Json.encode(value);
  }

  /** An instant as a quoted ISO-8601 string, or {@code null}. */
  static String quote(Instant value) {
    return value == null ? "null" : quote(value.toString());
  }
}
