package io.switchboard.reorder;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnedLatenessBoundTest {

  /** initial 2 s, floor 10 ms, cap 2 s, p99 × 2, 60 s horizon, learned after 100 arrivals. */
  private static final LearningSettings SETTINGS = new LearningSettings(2_000, 10, 2_000, 0.99, 2.0, 60_000, 100);

  @Test
  void verifiesThatAFreshSourceStartsAtTheInitialBoundAndHalvesItPerLearningPeriod() {
    LearnedLatenessBound bound = new LearnedLatenessBound(SETTINGS);
    for (int i = 0; i < 99; i++) {
      bound.arrived(i);
      assertEquals(2_000, bound.millis(i), "arrival " + i);
    }
    bound.arrived(99);
    assertEquals(1_000, bound.millis(99));
    for (int i = 100; i < 300; i++) {
      bound.arrived(i);
    }
    assertEquals(250, bound.millis(300));
    bound.disordered(400, 300);
    assertEquals(830, bound.millis(300), "the learned bound (400 ms in a bucket up to 415, × 2) wins once it is higher");
    for (int i = 300; i < 1_000; i++) {
      bound.arrived(i);
    }
    assertEquals(830, bound.millis(1_000));
    assertEquals(10, bound.millis(100_000), "in-order traffic, the prior gone: the floor");
  }

  @Test
  void verifiesThatTheBoundConvergesOnTheQuantileOfTheDisorderTimesTheSafetyFactor() {
    LearnedLatenessBound bound = new LearnedLatenessBound(SETTINGS);
    SplittableRandom random = new SplittableRandom(3);
    long now = 0;
    for (int i = 0; i < 20_000; i++) {
      now += 1;
      bound.arrived(now);
      if (random.nextInt(20) == 0) { // 5 % of arrivals are out of order, by 0–40 ms
        bound.disordered(random.nextLong(41), now);
      }
    }
    long l = bound.millis(now);
    // p99 of uniform 0..40 is ~40 ms; its bucket edge is at most 1/8 above; times 2.
    assertTrue(l >= 78 && l <= 92, "L " + l);
  }

  @Test
  void verifiesThatABurstRaisesTheBoundAtOnceAndItComesBackWithinTheHorizon() {
    LearnedLatenessBound bound = new LearnedLatenessBound(SETTINGS);
    long now = 0;
    for (; now < 100_000; now += 10) {
      bound.arrived(now);
      if (now % 200 == 0) {
        bound.disordered(5, now);
      }
    }
    long calm = bound.millis(now);
    assertTrue(calm >= 10 && calm <= 12, "calm L " + calm);
    for (int i = 0; i < 50; i++) { // a burst: 50 events 400 ms late within half a second
      now += 10;
      bound.arrived(now);
      bound.disordered(400, now);
    }
    long burst = bound.millis(now);
    assertTrue(burst >= 800 && burst <= 900, "burst L " + burst);
    long burstEnd = now;
    for (; now < burstEnd + 60_000; now += 10) {
      bound.arrived(now);
      if (now % 200 == 0) {
        bound.disordered(5, now);
      }
    }
    assertEquals(calm, bound.millis(now), "the burst has left the horizon");
  }

  @Test
  void verifiesThatTheBoundStaysWithinTheFloorAndTheCap() {
    LearnedLatenessBound bound = new LearnedLatenessBound(new LearningSettings(100, 20, 500, 0.99, 3.0, 6_000, 0));
    bound.disordered(1, 0);
    assertEquals(20, bound.millis(0));
    bound.disordered(10_000, 1);
    bound.disordered(10_000, 2);
    assertEquals(500, bound.millis(2));
    assertEquals(20, bound.millis(1_000_000), "long silence: nothing within the horizon");
  }

  @Test
  void verifiesThatInvalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(5, 10, 100, 0.99, 2, 60_000, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(50, 10, 5, 0.99, 2, 60_000, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(50, 10, 100, 0, 2, 60_000, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(50, 10, 100, 0.99, 0.5, 60_000, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(50, 10, 100, 0.99, 2, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new LearningSettings(50, 10, 100, 0.99, 2, 60_000, -1));
  }
}
