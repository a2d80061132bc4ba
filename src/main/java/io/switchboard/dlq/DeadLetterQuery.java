package io.switchboard.dlq;

import io.switchboard.message.DeadLetter;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which dead letters to list: every filter given must match ({@code null} means any), one page at a time.
 *
 * @param reason         reason code, e.g. {@code retries_exhausted} (case-insensitive, stored lower case)
 * @param stage          stage, e.g. {@code dispatch} (case-insensitive, stored lower case)
 * @param target         target id (exact)
 * @param conversationId conversation id (exact)
 * @param eventId        event id (exact)
 * @param from           entries whose {@code time} is at or after this instant
 * @param to             entries whose {@code time} is before this instant
 * @param replayed       {@code true}: only entries whose latest replay succeeded; {@code false}: only the others
 * @param limit          page size, 1 to {@value #MAX_LIMIT}
 * @param cursor         {@code nextCursor} of the previous page, or {@code null} to start at the oldest entry
 */
public record DeadLetterQuery(
    String reason,
    String stage,
    String target,
    String conversationId,
    String eventId,
    Instant from,
    Instant to,
    Boolean replayed,
    int limit,
    String cursor) {

  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private static final List<String> PARAMS = List.of("reason", "stage", "target", "conversationId", "eventId", "from",
      "to", "replayed", "limit", "cursor");
  private static final List<String> REASONS =
      Arrays.stream(DeadLetter.Reason.values()).map(DeadLetter.Reason::code).toList();
  private static final List<String> STAGES =
      Arrays.stream(DeadLetter.Stage.values()).map(s -> s.name().toLowerCase(Locale.ROOT)).toList();

  /** @throws IllegalArgumentException naming the component at fault */
  public DeadLetterQuery {
    reason = oneOf("reason", reason, REASONS);
    stage = oneOf("stage", stage, STAGES);
    notEmpty("target", target);
    notEmpty("conversationId", conversationId);
    notEmpty("eventId", eventId);
    if (from != null && to != null && !from.isBefore(to)) {
      throw new IllegalArgumentException("from must be before to, got from=" + from + " and to=" + to);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
    }
    if (cursor != null) {
      Cursor.decode(cursor);
    }
  }

  /** Everything, oldest first, {@value #DEFAULT_LIMIT} per page. */
  public static DeadLetterQuery all() {
    return new DeadLetterQuery(null, null, null, null, null, null, null, null, DEFAULT_LIMIT, null);
  }

  /** The same filters, continuing at {@code nextCursor}. */
  public DeadLetterQuery withCursor(String nextCursor) {
    return new DeadLetterQuery(reason, stage, target, conversationId, eventId, from, to, replayed, limit, nextCursor);
  }

  /** The same filters with another page size. */
  public DeadLetterQuery withLimit(int pageSize) {
    return new DeadLetterQuery(reason, stage, target, conversationId, eventId, from, to, replayed, pageSize, cursor);
  }

  /**
   * A query from HTTP query parameters named like the components; {@code from}/{@code to} are ISO-8601 instants
   * ({@code 2024-05-01T12:00:00Z}), {@code replayed} is {@code true} or {@code false}.
   *
   * @throws IllegalArgumentException naming the parameter at fault, including unknown parameter names
   */
  public static DeadLetterQuery fromParams(Map<String, String> params) {
    return fromParams(params.entrySet());
  }

  /**
   * Like {@link #fromParams(Map)}, but also rejects a parameter given twice. Vert.x's {@code MultiMap} (e.g.
   * {@code ctx.queryParams()}) is such an iterable, so it can be passed as it is.
   */
  public static DeadLetterQuery fromParams(Iterable<Map.Entry<String, String>> params) {
    Map<String, String> given = new HashMap<>();
    for (Map.Entry<String, String> param : params) {
      String name = param.getKey();
      if (!PARAMS.contains(name)) {
        throw new IllegalArgumentException("unknown query parameter '" + name + "'; known: " + String.join(", ", PARAMS));
      }
      if (given.put(name, param.getValue()) != null) {
        throw new IllegalArgumentException(name + " must be given at most once");
      }
    }
    return new DeadLetterQuery(
        given.get("reason"),
        given.get("stage"),
        given.get("target"),
        given.get("conversationId"),
        given.get("eventId"),
        instant("from", given.get("from")),
        instant("to", given.get("to")),
        bool("replayed", given.get("replayed")),
        limit(given.get("limit")),
        given.get("cursor"));
  }

  private static String oneOf(String name, String value, List<String> allowed) {
    if (value == null) {
      return null;
    }
    String code = value.toLowerCase(Locale.ROOT);
    if (!allowed.contains(code)) {
      throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }
    return code;
  }

  private static void notEmpty(String name, String value) {
    if (value != null && value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty (leave it out to match any)");
    }
  }

  private static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 instant such as 2024-05-01T12:00:00Z, got '"
          + value + "'", e);
    }
  }

  private static Boolean bool(String name, String value) {
    if (value == null) {
      return null;
    }
    return switch (value) {
      case "true" -> Boolean.TRUE;
      case "false" -> Boolean.FALSE;
      default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
    };
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("limit must be an integer between 1 and " + MAX_LIMIT + ", got '" + value
          + "'", e);
    }
  }
}
