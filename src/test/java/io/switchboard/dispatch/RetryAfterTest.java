package io.switchboard.dispatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RetryAfterTest {

  /** Friday 2024-03-01 12:00:00 UTC. */
  private static final long NOW = Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();

  @Test
  void verifiesThatDelaySecondsAreReadAsMilliseconds() {
    assertEquals(OptionalLong.of(120_000), RetryAfter.parse("120", NOW));
    assertEquals(OptionalLong.of(5_000), RetryAfter.parse(" 5 ", NOW));
    assertEquals(OptionalLong.of(0), RetryAfter.parse("0", NOW));
  }

  @Test
  void verifiesThatAnImfFixdateGivesTheTimeUntilThen() {
    assertEquals(OptionalLong.of(120_000), RetryAfter.parse("Fri, 01 Mar 2024 12:02:00 GMT", NOW));
  }

  @Test
  void verifiesThatTheObsoleteDateFormsRfc9110RequiresAreRead() {
    assertEquals(OptionalLong.of(120_000), RetryAfter.parse("Friday, 01-Mar-24 12:02:00 GMT", NOW));
    assertEquals(OptionalLong.of(90_000), RetryAfter.parse("Fri Mar  1 12:01:30 2024", NOW));
    // A two-digit year more than 50 years ahead is the past century: 1994, long gone, so no wait.
    assertEquals(OptionalLong.of(0), RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW));
  }

  @Test
  void verifiesThatADateAlreadyPassedMeansNoWait() {
    assertEquals(OptionalLong.of(0), RetryAfter.parse("Fri, 01 Mar 2024 11:00:00 GMT", NOW));
  }

  @Test
  void verifiesThatNegativeSecondsStayNegativeSoCallersCanStop() {
    assertEquals(OptionalLong.of(-1_000), RetryAfter.parse("-1", NOW));
  }

  @Test
  void verifiesThatAbsurdlyLargeSecondsSaturateInsteadOfOverflowing() {
    assertEquals(OptionalLong.of(Long.MAX_VALUE), RetryAfter.parse("99999999999999999999999", NOW));
    assertEquals(OptionalLong.of(Long.MAX_VALUE), RetryAfter.parse("9223372036854776", NOW));
    assertEquals(OptionalLong.of(Long.MIN_VALUE), RetryAfter.parse("-99999999999999999999999", NOW));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "soon", "1.5", "+5", "12abc", "Fri, 32 Mar 2024 12:02:00 GMT",
      "Sat, 01 Mar 2024 12:02:00 GMT", "2024-03-01T12:02:00Z"})
  void verifiesThatAnythingElseIsEmptySoTheCallerFallsBackToBackoff(String header) {
    assertEquals(OptionalLong.empty(), RetryAfter.parse(header, NOW));
  }

  @Test
  void verifiesThatNoHeaderIsEmpty() {
    assertEquals(OptionalLong.empty(), RetryAfter.parse(null, NOW));
  }
}
