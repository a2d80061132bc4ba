package io.switchboard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated load and what judging it needs, made once so that {@code --compare} sends both servers the very same
 * bytes in the very same lane order. Sends are immutable (each request stamps a copy), so it can be replayed.
 *
 * @param expected ids that must each be delivered once per target
 * @param kinds    every expected id and the kind of its conversation
 * @param swapped  ids the generator sent after a later event of their conversation ({@link SendOrder})
 * @param lanes    the sends per lane, one lane per connection of the closed loop
 * @param sends    all sends, copies included
 */
record PlannedLoad(List<GeneratedConversation> conversations, List<String> expected,
                   Map<String, ConversationKind> kinds, Set<String> swapped, List<List<Send>> lanes, long sends) {

  static PlannedLoad of(List<GeneratedConversation> conversations, int concurrency) {
    List<String> expected = new ArrayList<>();
    Map<String, ConversationKind> kinds = new HashMap<>();
    long sends = 0;
    for (GeneratedConversation conversation : conversations) {
      for (String id : conversation.expectedIds()) {
        expected.add(id);
        kinds.put(id, conversation.kind());
      }
      sends += conversation.sends().size();
    }
    return new PlannedLoad(List.copyOf(conversations), List.copyOf(expected), Map.copyOf(kinds),
        Set.copyOf(SendOrder.sentAfterALaterEvent(conversations)), SendPlan.lanes(conversations, concurrency), sends);
  }
}
