package io.switchboard.dispatch.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TokenBucketTest {

  @Test
  void verifiesThatAFullBucketAllowsItsBurstAtOnceThenNamesTheWait() {
    TokenBucket bucket = TokenBucket.perSecond(10, 5);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, bucket.tryAcquire(1_000));
    }
    assertEquals(100, bucket.tryAcquire(1_000), "one token every 100 ms at 10/s");
    assertEquals(40, bucket.tryAcquire(1_060));
    assertEquals(0, bucket.tryAcquire(1_100));
    assertEquals(100, bucket.tryAcquire(1_100));
  }

  @Test
  void verifiesThatTheLongRunRateHoldsWhenPolledAsFastAsAllowed() {
    TokenBucket bucket = TokenBucket.perSecond(50, 10);
    int granted = 0;
    for (long now = 0; now < 60_000; now++) {
      while (bucket.tryAcquire(now) == 0) {
        granted++;
      }
    }
    // The burst up front, then exactly 50 per second for the remaining 59.999 s.
    assertEquals(10 + 2_999, granted);
  }

  @Test
  void verifiesThatFollowingTheReturnedWaitIsNeverRefused() {
    TokenBucket bucket = TokenBucket.perSecond(3, 1);
    long now = 0;
    int granted = 0;
    while (now < 10_000) {
      long wait = bucket.tryAcquire(now);
      if (wait == 0) {
        granted++;
      } else {
        now += wait;
        assertEquals(0, bucket.tryAcquire(now), "the named wait was not enough at " + now);
        granted++;
      }
    }
    assertEquals(1 + 30, granted, "3/s for 10 s after the initial token");
  }

  @Test
  void verifiesThatFractionalRatesAndBatchesWork() {
    TokenBucket slow = new TokenBucket(1, 2_000, 1);
    assertEquals(0, slow.tryAcquire(0));
    assertEquals(2_000, slow.tryAcquire(0));
    assertEquals(500, slow.tryAcquire(1_500));
    assertEquals(0, slow.tryAcquire(2_000));

    TokenBucket batch = TokenBucket.perSecond(100, 500);
    assertEquals(500, batch.available(0));
    assertEquals(0, batch.tryAcquire(0, 400));
    assertEquals(100, batch.available(0));
    assertEquals(2_000, batch.tryAcquire(0, 300), "200 more tokens at 100/s");
    assertEquals(100, batch.available(0), "a refused batch takes nothing");
    assertEquals(0, batch.tryAcquire(2_000, 300));
  }

  @Test
  void verifiesThatIdleTimeFillsOnlyUpToTheBurstAndABackwardClockAddsNothing() {
    TokenBucket bucket = TokenBucket.perSecond(1_000, 20);
    assertEquals(0, bucket.tryAcquire(0, 20));
    assertEquals(20, bucket.available(Long.MAX_VALUE / 2));
    assertEquals(0, bucket.tryAcquire(Long.MAX_VALUE / 2, 20));
    assertEquals(0, bucket.available(0), "the clock stepped back");
    assertEquals(1, bucket.available(Long.MAX_VALUE / 2 + 1));
  }

  @Test
  void verifiesThatInvalidArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1_000, 1));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 1_000, 0));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, Long.MAX_VALUE, 2));
    TokenBucket bucket = TokenBucket.perSecond(10, 5);
    assertThrows(IllegalArgumentException.class, () -> bucket.tryAcquire(0, 6));
    assertThrows(IllegalArgumentException.class, () -> bucket.tryAcquire(0, 0));
  }
}
