package io.switchboard.dlq;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryBacklogTest {

  @Test
  void verifiesThatOnlyTheFirstLetterKeptStartsAStreak() {
    RetryBacklog<String> backlog = new RetryBacklog<>(100, 5_000);
    assertTrue(backlog.keep("a"));
    assertFalse(backlog.keep("b"));
    assertEquals(2, backlog.size());
    assertTrue(backlog.inStreak());
  }

  @Test
  void verifiesThatLettersStillFailingGoBackInFrontOfThoseKeptDuringTheRetryInOrder() {
    RetryBacklog<String> backlog = new RetryBacklog<>(100, 5_000);
    backlog.keep("a");
    backlog.keep("b");
    List<String> taken = backlog.takeForRetry();
    assertEquals(List.of("a", "b"), taken);
    assertTrue(backlog.inStreak(), "a retry in flight is still the streak");
    assertFalse(backlog.keep("c"), "kept during the retry: no new streak");
    assertEquals(3, backlog.size());
    assertFalse(backlog.retried(List.of("a", "b")));
    assertEquals(List.of("a", "b", "c"), backlog.takeForRetry());
    assertTrue(backlog.retried(List.of()));
    assertFalse(backlog.inStreak());
    assertEquals(0, backlog.size());
  }

  @Test
  void verifiesThatTheWaitDoublesPerFailedRetryUpToTheCapAndResetsWhenARetryWorks() {
    RetryBacklog<String> backlog = new RetryBacklog<>(100, 1_000);
    backlog.keep("a");
    assertEquals(100, backlog.nextWaitMillis());
    long[] expected = {200, 400, 800, 1_000, 1_000};
    for (long wait : expected) {
      backlog.retried(backlog.takeForRetry());
      assertEquals(wait, backlog.nextWaitMillis());
    }
    List<String> taken = backlog.takeForRetry();
    backlog.keep("b"); // arrives during a retry that then works
    assertFalse(backlog.retried(List.of()));
    assertEquals(100, backlog.nextWaitMillis(), "the DLQ works again: retry the newcomer soon");
    assertEquals(List.of("a"), taken);
  }
}
