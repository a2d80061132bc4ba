package io.switchboard.dlq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether an entry matches a query, with a cheap byte-level pre-check so that most non-matching lines
 * of a long queue are skipped without being parsed.
 */
final class EntryMatcher {

  /**
   * Values the writer's JSON encoder (Jackson) never escapes: such a value, when it is a field's value, occurs in
   * the line literally between quotes. Others (quotes, backslashes, non-ASCII, ...) skip the pre-check.
   */
  private static final Pattern LITERAL = Pattern.compile("[A-Za-z0-9 ._:@+~-]*");

  private final DeadLetterQuery query;
  private final List<byte[]> needles = new ArrayList<>();

  EntryMatcher(DeadLetterQuery query) {
    this.query = Objects.requireNonNull(query, "query");
    for (String value : new String[] {query.reason(), query.stage(), query.target(), query.conversationId(),
        query.eventId()}) {
      byte[] needle = needle(value);
      if (needle != null) {
        needles.add(needle);
      }
    }
  }

  /** {@code false} only if the line cannot hold a matching entry; {@code true} means "parse and see". */
  boolean mightMatch(byte[] line, int length) {
    for (byte[] needle : needles) {
      if (!contains(line, length, needle)) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code entry}, with its replay status attached, passes every filter. */
  boolean matches(DeadLetterEntry entry) {
    return (query.reason() == null || query.reason().equals(entry.reason()))
        && (query.stage() == null || query.stage().equals(entry.stage()))
        && (query.target() == null || query.target().equals(entry.target()))
        && (query.conversationId() == null || query.conversationId().equals(entry.conversationId()))
        && (query.eventId() == null || query.eventId().equals(entry.eventId()))
        && (query.from() == null || !entry.time().isBefore(query.from()))
        && (query.to() == null || entry.time().isBefore(query.to()))
        && (query.replayed() == null || query.replayed() == entry.replayed());
  }

  /** The quoted form of {@code value} that a line holding it must contain, or {@code null} if unsure. */
  static byte[] needle(String value) {
    if (value == null || !LITERAL.matcher(value).matches()) {
      return null;
    }
    return ('"' + value + '"').getBytes(StandardCharsets.US_ASCII);
  }

  static boolean contains(byte[] haystack, int length, byte[] needle) {
    byte first = needle[0];
    int last = length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
