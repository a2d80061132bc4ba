package io.switchboard.cluster;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AcceptedElsewhereTest {

  @Test
  void givesBackInSequenceOrderWhatTheGoneNodesAcceptedAndNotSettled() {
    AcceptedElsewhere<String> accepted = new AcceptedElsewhere<>();
    accepted.accepted(3, "c", "b");
    accepted.accepted(1, "a", "b");
    accepted.accepted(2, "x", "c");
    accepted.accepted(4, "d", "b");
    accepted.settled(4);
    List<Map.Entry<Long, String>> taken = accepted.takeAcceptedBy(Set.of("b"));
    assertEquals(List.of(Map.entry(1L, "a"), Map.entry(3L, "c")), taken);
    assertEquals(1, accepted.size(), "the event node c accepted stays");
    assertEquals(List.of(), accepted.takeAcceptedBy(Set.of("b")), "taken once");
  }
}
