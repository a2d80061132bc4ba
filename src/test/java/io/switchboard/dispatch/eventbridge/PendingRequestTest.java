package io.switchboard.dispatch.eventbridge;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingRequestTest {

  @Test
  void verifiesThatARequestHoldsAtMostTenEntriesInOrder() {
    PendingRequest<Integer> request = new PendingRequest<>(262_144);
    for (int i = 0; i < 10; i++) {
      assertTrue(request.fits(100));
      assertFalse(request.full());
      request.add(i, 100);
    }
    assertTrue(request.full());
    assertFalse(request.fits(1));
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), request.take());
    assertTrue(request.isEmpty());
    assertTrue(request.fits(100));
  }

  @Test
  void verifiesThatTheTotalSizeStaysWithinTheLimit() {
    PendingRequest<String> request = new PendingRequest<>(1000);
    request.add("a", 400);
    request.add("b", 600);
    assertTrue(request.full(), "exactly at the limit");
    assertFalse(request.fits(1));
    assertEquals(List.of("a", "b"), request.take());
    request.add("c", 700);
    assertFalse(request.fits(301));
    assertTrue(request.fits(300));
    assertThrows(IllegalStateException.class, () -> request.add("d", 301));
    assertEquals(1, request.size());
  }

  @Test
  void verifiesThatAnEmptyRequestTakesAnyEntry() {
    PendingRequest<String> request = new PendingRequest<>(1000);
    assertTrue(request.fits(5000), "a lone entry over the limit is refused before it gets here");
  }
}
