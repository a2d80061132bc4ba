package io.switchboard.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events the generator itself sent out of eventTime order, by send order: originals posted after a later event
 * of their conversation (the injected swaps and bursts). A statistic of the load, not an excuse: such an event
 * delivered after its successor is an order violation like any other, unless it reached the server more than the
 * server's lateness bound after it ({@link ArrivalGaps}), which for a pair sent back to back it hardly ever does.
 * Held events ({@link DelayOptions}) are not in it: when they arrive is up to the clock.
 */
final class SendOrder {

  private SendOrder() {
  }

  /** Envelope ids of the originals whose eventTime is below one already sent in their conversation. */
  static Set<String> sentAfterALaterEvent(List<GeneratedConversation> conversations) {
    Set<String> ids = new HashSet<>();
    for (GeneratedConversation conversation : conversations) {
      long latest = Long.MIN_VALUE;
      for (Send send : conversation.sends()) {
        if (send.copy() != Send.Copy.ORIGINAL) {
          continue; // dedup drops copies; they never reach a target
        }
        long eventTime = EnvelopeFields.scan(send.body()).eventTime();
        if (eventTime < latest) {
          ids.add(send.envelopeId());
        } else {
          latest = eventTime;
        }
      }
    }
    return ids;
  }
}
