package io.switchboard.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A position in the DLQ: everything up to and including {@code line} of {@code file} has been read, and the next
 * line starts at byte {@code offset}. Files are append-only and new files sort after old ones, so a position stays
 * valid while entries are appended; if its file is deleted, reading resumes at the next file.
 */
record Cursor(String file, long line, long offset) {

  private static final String VERSION = "1";
  private static final String INVALID = "cursor is not valid: pass back a nextCursor exactly as returned";

  Cursor {
    if (!DlqFiles.isDlqFile(file) || line < 0 || offset < 0) {
      throw new IllegalArgumentException(INVALID);
    }
  }

  /** Opaque to clients: URL-safe base64, so it can travel in a query parameter unescaped. */
  String encode() {
    String plain = VERSION + "|" + file + "|" + line + "|" + offset;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * The position {@code encoded} stands for.
   *
   * @throws IllegalArgumentException naming {@code cursor} if it was not produced by {@link #encode()}
   */
  static Cursor decode(String encoded) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.US_ASCII);
      String[] parts = plain.split("\\|", -1);
      if (parts.length != 4 || !VERSION.equals(parts[0])) {
        throw new IllegalArgumentException(INVALID);
      }
      return new Cursor(parts[1], Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    } catch (IllegalArgumentException e) {
      // NumberFormatException and base64 errors are IllegalArgumentExceptions too: one message for all.
      throw new IllegalArgumentException(INVALID, e);
    }
  }
}
