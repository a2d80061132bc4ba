package io.switchboard.state;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that a held conversation's events queue in order and only its own. */
class ConversationHoldsTest {

  @Test
  void verifiesThatEventsQueueBehindAHeldConversationInArrivalOrderAndOthersAreNotHeld() {
    ConversationHolds<String> holds = new ConversationHolds<>();
    holds.hold("a");
    assertTrue(holds.isHeld("a"));
    assertFalse(holds.isHeld("b"));
    holds.queue("a", "a2");
    holds.queue("a", "a3");
    assertEquals(2, holds.queued());
    assertThrows(IllegalStateException.class, () -> holds.hold("a"));
    assertThrows(IllegalStateException.class, () -> holds.queue("b", "b1"));
    assertEquals(List.of("a2", "a3"), List.copyOf(holds.release("a")));
    assertFalse(holds.isHeld("a"));
    assertEquals(0, holds.queued());
    assertEquals(0, holds.held());
    assertThrows(IllegalStateException.class, () -> holds.release("a"));
  }
}
