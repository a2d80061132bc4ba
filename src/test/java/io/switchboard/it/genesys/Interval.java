package io.switchboard.it.genesys;

import java.time.format.DateTimeParseException;

/** An analytics query interval, {@code "start/end"} in ISO-8601 (facts, section 6), as epoch ms [from, to). */
record Interval(long from, long to) {

  /** @throws IllegalArgumentException naming what is wrong with the text */
  static Interval parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("interval is required, as \"<start>/<end>\" in ISO-8601");
    }
    String[] parts = text.split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("interval must be \"<start>/<end>\", not \"" + text + "\"");
    }
    long from;
    long to;
    try {
      from = Iso.parse(parts[0].trim());
      to = Iso.parse(parts[1].trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("interval has an unreadable date: " + e.getParsedString());
    }
    if (to <= from) {
      throw new IllegalArgumentException("interval end must be after its start: \"" + text + "\"");
    }
    return new Interval(from, to);
  }
}
