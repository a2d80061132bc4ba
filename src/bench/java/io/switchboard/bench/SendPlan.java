package io.switchboard.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Splits conversations over lanes, one lane per connection: each conversation stays on one lane, so its
 * sends are posted in order, and each lane interleaves its conversations in virtual-time order, the way a
 * contact centre's events arrive (hundreds of conversations in flight, their events mixed).
 */
final class SendPlan {

  private SendPlan() {
  }

  static List<List<Send>> lanes(List<GeneratedConversation> conversations, int lanes) {
    List<List<Slot>> slots = new ArrayList<>(lanes);
    for (int i = 0; i < lanes; i++) {
      slots.add(new ArrayList<>());
    }
    for (int c = 0; c < conversations.size(); c++) {
      List<Send> sends = conversations.get(c).sends();
      for (int s = 0; s < sends.size(); s++) {
        slots.get(c % lanes).add(new Slot(sends.get(s), c, s));
      }
    }
    // A conversation's virtual times never decrease, so ordering by (time, conversation, position) interleaves
    // conversations without reordering any one of them.
    Comparator<Slot> order = Comparator.<Slot>comparingLong(slot -> slot.send.virtualTime())
        .thenComparingInt(slot -> slot.conversation).thenComparingInt(slot -> slot.position);
    List<List<Send>> out = new ArrayList<>(lanes);
    for (List<Slot> lane : slots) {
      lane.sort(order);
      out.add(lane.stream().map(Slot::send).toList());
    }
    return out;
  }

  private record Slot(Send send, int conversation, int position) {
  }
}
