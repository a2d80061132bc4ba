package io.switchboard.verticles;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TaggedCountersTest {

  private final TaggedCounters counters = new TaggedCounters("t.events", "test", "source", "outcome");

  @Test
  void verifiesThatEachTagCombinationCountsInItsOwnMeter() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    counters.increment(registry, "http", "accepted");
    counters.increment(registry, "http", "accepted");
    counters.increment(registry, "http", "duplicate");
    assertEquals(2.0, registry.get("t.events").tags("source", "http", "outcome", "accepted").counter().count());
    assertEquals(1.0, registry.get("t.events").tags("source", "http", "outcome", "duplicate").counter().count());
  }

  @Test
  void verifiesThatANewRegistryGetsNewCountersNotTheOldOnes() {
    SimpleMeterRegistry first = new SimpleMeterRegistry();
    SimpleMeterRegistry second = new SimpleMeterRegistry();
    counters.increment(first, "http", "accepted");
    counters.increment(second, "http", "accepted");
    counters.increment(second, "http", "accepted");
    assertEquals(1.0, first.get("t.events").counter().count());
    assertEquals(2.0, second.get("t.events").counter().count());
  }

  @Test
  void verifiesThatTheWrongNumberOfTagValuesIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> counters.increment(new SimpleMeterRegistry(), "http"));
  }
}
