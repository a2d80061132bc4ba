package io.switchboard.it.genesys;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** ISO-8601 as Genesys writes it: UTC, always with milliseconds ({@code 2025-03-11T14:02:07.412Z}). */
final class Iso {

  // Instant.toString() drops ".000"; Genesys bodies always carry three fraction digits.
  private static final DateTimeFormatter MILLIS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Iso() {
  }

  static String format(long epochMillis) {
    return MILLIS.format(Instant.ofEpochMilli(epochMillis));
  }

  /** Parses an instant with {@code Z}, an offset, or no zone at all (then UTC, as analytics intervals allow). */
  static long parse(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException withoutOffset) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
  }
}
