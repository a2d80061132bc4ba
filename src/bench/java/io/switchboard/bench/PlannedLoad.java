package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A generated load and what judging it needs, made once so that {@code --compare} sends both servers the very same
 * bytes in the very same lane order. Sends are immutable (each request stamps a copy), so it can be replayed.
 *
 * @param expected  ids that must each be delivered once per target
 * @param kinds     every expected id and the kind of its conversation
 * @param events    every expected id, its conversation and its eventTime
 * @param swapped   ids the generator sent after a later event of their conversation, by send order (swaps and bursts;
 *                  {@link SendOrder}); held events are not in it, since when they arrive is up to the clock
 * @param held      ids the generator holds back by a real-time delay ({@link DelayOptions})
 * @param disturbed conversations with any of the above: the rest were sent entirely in eventTime order
 * @param lanes     the sends per lane, one lane per connection of the closed loop
 * @param sends     all sends, copies included
 */
record PlannedLoad(List<GeneratedConversation> conversations, List<String> expected,
                   Map<String, ConversationKind> kinds, Map<String, Event> events, Set<String> swapped,
                   Set<String> held, Set<String> disturbed, List<List<Send>> lanes, long sends) {

  /** One expected event: its conversation and eventTime. */
  record Event(String conversationId, long eventTime) {
  }

  static PlannedLoad of(List<GeneratedConversation> conversations, int concurrency) {
    List<String> expected = new ArrayList<>();
    Map<String, ConversationKind> kinds = new HashMap<>();
    Map<String, Event> events = new HashMap<>();
    Set<String> held = new HashSet<>();
    long sends = 0;
    for (GeneratedConversation conversation : conversations) {
      for (String id : conversation.expectedIds()) {
        expected.add(id);
        kinds.put(id, conversation.kind());
      }
      for (Send send : conversation.sends()) {
        if (send.copy() == Send.Copy.ORIGINAL) {
          events.put(send.expectedId(), new Event(conversation.id(), EnvelopeFields.scan(send.body()).eventTime()));
          if (send.holdMillis() > 0) {
            held.add(send.expectedId());
          }
        }
      }
      sends += conversation.sends().size();
    }
    Set<String> swapped = SendOrder.sentAfterALaterEvent(conversations);
    Set<String> disturbed = new HashSet<>();
    for (String id : swapped) {
      disturbed.add(events.get(id).conversationId());
    }
    for (String id : held) {
      disturbed.add(events.get(id).conversationId());
    }
    return new PlannedLoad(List.copyOf(conversations), List.copyOf(expected), Map.copyOf(kinds), Map.copyOf(events),
        Set.copyOf(swapped), Set.copyOf(held), Set.copyOf(disturbed), SendPlan.lanes(conversations, concurrency),
        sends);
  }

  /** Whether {@code id} is an event of a conversation the generator sent entirely in order, nothing held back. */
  boolean inOrder(String id) {
    Event event = events.get(id);
    return event != null && !disturbed.contains(event.conversationId());
  }

  /** The disorder injected, for the result line. */
  JsonObject disorderSummary() {
    long ordered = conversations.stream().filter(c -> !disturbed.contains(c.id())).count();
    return new JsonObject()
        .put("sentAfterALaterEvent", swapped.size())
        .put("held", held.size())
        .put("conversationsInOrder", ordered)
        .put("eventsInOrder", expected.stream().filter(this::inOrder).count());
  }
}
