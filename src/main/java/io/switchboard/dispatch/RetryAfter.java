package io.switchboard.dispatch;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Reads an HTTP {@code Retry-After} value (RFC 9110 §10.2.3) as a delay in milliseconds from {@code now}.
 *
 * <ul>
 *   <li>delay-seconds ({@code "120"}): that many seconds; values too large for a {@code long} saturate.</li>
 *   <li>HTTP-date in any of the three forms RFC 9110 §5.6.7 obliges recipients to accept (IMF-fixdate,
 *       RFC 850, asctime): the time until then, or 0 when it has already passed.</li>
 *   <li>negative seconds ({@code "-1"}): not valid RFC 9110, but servers send it; it is returned
 *       <em>negative</em> rather than dropped, because AWS treats it as "stop retrying" and so does
 *       {@link RetryPolicy}. Callers must check the sign.</li>
 *   <li>anything else, or no header: empty, so the caller falls back to its own backoff.</li>
 * </ul>
 */
public final class RetryAfter {

  private static final Pattern SECONDS = Pattern.compile("-?[0-9]+");
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

  private RetryAfter() {
  }

  public static OptionalLong parse(String header, long nowMillis) {
    if (header == null || header.isBlank()) {
      return OptionalLong.empty();
    }
    String value = header.trim();
    if (SECONDS.matcher(value).matches()) {
      return OptionalLong.of(secondsToMillis(value));
    }
    for (DateTimeFormatter format : dateFormats(nowMillis)) {
      try {
        long at = Instant.from(format.parse(value)).toEpochMilli();
        return OptionalLong.of(Math.max(0, at - nowMillis));
      } catch (DateTimeException | ArithmeticException notThisForm) {
        // try the next form
      }
    }
    return OptionalLong.empty();
  }

  private static long secondsToMillis(String digits) {
    boolean negative = digits.startsWith("-");
    long seconds;
    try {
      seconds = Long.parseLong(digits);
    } catch (NumberFormatException tooLong) {
      return negative ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (seconds > Long.MAX_VALUE / 1000) {
      return Long.MAX_VALUE;
    }
    return seconds < Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : seconds * 1000;
  }

  /**
   * The RFC 850 form has a two-digit year, which RFC 9110 resolves against the current date (no more than
   * 50 years ahead), so that formatter depends on {@code now}. Dates are rare next to delay-seconds, so
   * building it per call costs nothing that matters.
   */
  private static List<DateTimeFormatter> dateFormats(long nowMillis) {
    int year = ZonedDateTime.ofInstant(Instant.ofEpochMilli(nowMillis), ZoneOffset.UTC).getYear();
    DateTimeFormatter rfc850 = new DateTimeFormatterBuilder()
        .appendPattern("EEEE, dd-MMM-")
        .appendValueReduced(ChronoField.YEAR, 2, 2, year - 49)
        .appendPattern(" HH:mm:ss 'GMT'")
        .toFormatter(Locale.US)
        .withZone(ZoneOffset.UTC);
    return List.of(DateTimeFormatter.RFC_1123_DATE_TIME, rfc850, ASCTIME);
  }
}
