package io.switchboard.ingest;

import io.vertx.core.buffer.Buffer;

/**
 * What the text of a body must be before it is parsed: UTF-8 as RFC 8259 requires between systems (well-formed: no
 * overlong forms, surrogates or code points past U+10FFFF), with no byte order mark and no NUL byte, and nested at
 * most {@link #MAX_DEPTH} deep.
 *
 * <p>Why: accepted bytes are kept verbatim and spliced into UTF-8 JSON lines and pages (the DLQ, {@code /dlq}, the
 * file target, the enriched payload). The parser guesses UTF-16 or UTF-32 from a BOM or from NUL bytes and lets some
 * ill-formed UTF-8 through, and every wrapper adds nesting to what it allowed up to its limit of 1000 levels: such a
 * body became a line or a page no reader could parse, so a dead letter was lost from {@code /dlq}.
 */
public final class BodyText {

  /** Genesys events nest about 6 deep; the rest of the parser's 1000 is left to the wrappers. */
  public static final int MAX_DEPTH = 128;

  private BodyText() {
  }

  /** @throws MalformedJsonException naming the first offending byte, if {@code body} breaks a rule */
  public static void require(Buffer body) {
    int len = body.length();
    if (len >= 3 && body.getByte(0) == (byte) 0xEF && body.getByte(1) == (byte) 0xBB && body.getByte(2) == (byte) 0xBF) {
      throw new MalformedJsonException("byte order mark: JSON text must be UTF-8 without one", 0);
    }
    int depth = 0;
    boolean inString = false;
    int pos = 0;
    while (pos < len) {
      int b = body.getByte(pos) & 0xFF;
      if (b == 0) {
        throw new MalformedJsonException("NUL byte: JSON text must be UTF-8 (not UTF-16 or UTF-32)", pos);
      }
      if (b >= 0x80) {
        pos = sequenceEnd(body, pos, b);
        continue;
      }
      if (inString) {
        inString = b != '"';
        pos += b == '\\' ? 2 : 1;
        continue;
      }
      if (b == '"') {
        inString = true;
      } else if ((b == '{' || b == '[') && ++depth > MAX_DEPTH) {
        throw new MalformedJsonException("nested deeper than " + MAX_DEPTH + " levels", pos);
      } else if (b == '}' || b == ']') {
        depth--;
      }
      pos++;
    }
  }

  /** The offset past the multi-byte sequence starting at {@code pos} with lead byte {@code b} (Unicode table 3-7). */
  private static int sequenceEnd(Buffer body, int pos, int b) {
    int count;
    int min = 0x80;
    int max = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      count = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      count = 2;
      min = b == 0xE0 ? 0xA0 : 0x80;
      max = b == 0xED ? 0x9F : 0xBF;
    } else if (b >= 0xF0 && b <= 0xF4) {
      count = 3;
      min = b == 0xF0 ? 0x90 : 0x80;
      max = b == 0xF4 ? 0x8F : 0xBF;
    } else {
      throw illFormed(pos);
    }
    if (pos + count >= body.length()) {
      throw illFormed(pos);
    }
    int second = body.getByte(pos + 1) & 0xFF;
    if (second < min || second > max) {
      throw illFormed(pos);
    }
    for (int i = 2; i <= count; i++) {
      int c = body.getByte(pos + i) & 0xFF;
      if (c < 0x80 || c > 0xBF) {
        throw illFormed(pos);
      }
    }
    return pos + count + 1;
  }

  private static MalformedJsonException illFormed(int pos) {
    return new MalformedJsonException("ill-formed UTF-8", pos);
  }
}
