package io.switchboard.genesys;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Verifies that the budget never lets more than its limit through in any window, and honours Retry-After pauses. */
class RequestBudgetTest {

  @Test
  void atMostTheLimitInAnyWindow() {
    RequestBudget budget = new RequestBudget(3, 1_000);
    for (long t = 0; t < 3; t++) {
      assertEquals(0, budget.delayFor(t * 10));
      budget.take(t * 10);
    }
    assertEquals(1_000 - 25, budget.delayFor(25), "the fourth waits until the first leaves the window");
    assertEquals(0, budget.delayFor(1_000));
    budget.take(1_000);
    assertEquals(3, budget.used(1_005));
  }

  @Test
  void aRetryAfterPausesEvenWithRoomInTheWindow() {
    RequestBudget budget = new RequestBudget(300, 60_000);
    budget.pause(100, 5_000);
    assertEquals(5_000, budget.delayFor(100));
    assertEquals(1_000, budget.delayFor(4_100));
    budget.pause(200, 1_000);
    assertEquals(1_000, budget.delayFor(4_100), "a shorter pause does not shorten a longer one");
    assertEquals(0, budget.delayFor(5_100));
  }

  @Test
  void aBudgetNeedsALimitAndAWindow() {
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(0, 1_000));
    assertThrows(IllegalArgumentException.class, () -> new RequestBudget(1, 0));
  }
}
