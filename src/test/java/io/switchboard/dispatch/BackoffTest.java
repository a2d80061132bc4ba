package io.switchboard.dispatch;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackoffTest {

  private static Backoff backoff(long seed) {
    return new Backoff(200, 60_000, 2.0, new SplittableRandom(seed));
  }

  @Test
  void verifiesThatFullJitterStaysWithinZeroAndTheCeilingOverManySeededSamples() {
    for (long seed = 0; seed < 20; seed++) {
      Backoff backoff = backoff(seed);
      for (int attempt = 1; attempt <= 40; attempt++) {
        long ceiling = backoff.ceilingMillis(attempt);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 500; i++) {
          long delay = backoff.delayMillis(attempt);
          assertTrue(delay >= 0 && delay <= ceiling, "attempt " + attempt + ": " + delay + " outside [0, " + ceiling + "]");
          min = Math.min(min, delay);
          max = Math.max(max, delay);
        }
        // Full jitter spreads over the whole window, not just its upper half.
        assertTrue(min <= ceiling / 10, "attempt " + attempt + ": smallest " + min + " of " + ceiling);
        assertTrue(max >= ceiling * 9 / 10, "attempt " + attempt + ": largest " + max + " of " + ceiling);
      }
    }
  }

  @Test
  void verifiesThatTheCeilingGrowsByTheMultiplierUntilTheCap() {
    Backoff backoff = backoff(1);
    long[] expected = {200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200, 60_000, 60_000};
    long[] actual = new long[expected.length];
    for (int i = 0; i < expected.length; i++) {
      actual[i] = backoff.ceilingMillis(i + 1);
    }
    assertArrayEquals(expected, actual);
    assertEquals(60_000, backoff.ceilingMillis(Integer.MAX_VALUE), "a huge exponent must not overflow past the cap");
    Backoff gentle = new Backoff(1000, 10_000, 1.5, new SplittableRandom(1));
    assertEquals(1500, gentle.ceilingMillis(2));
    assertEquals(2250, gentle.ceilingMillis(3));
    assertEquals(10_000, gentle.ceilingMillis(7));
  }

  @Test
  void verifiesThatTheSameSeedGivesTheSameDelays() {
    Backoff a = backoff(42);
    Backoff b = backoff(42);
    for (int attempt = 1; attempt <= 20; attempt++) {
      assertEquals(a.delayMillis(attempt), b.delayMillis(attempt));
    }
  }

  @Test
  void verifiesThatNonsensicalSettingsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(0, 10, 2.0, new SplittableRandom()));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(100, 10, 2.0, new SplittableRandom()));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 100, 0.5, new SplittableRandom()));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(10, 100, Double.NaN, new SplittableRandom()));
    assertThrows(IllegalArgumentException.class, () -> backoff(1).ceilingMillis(0));
  }
}
