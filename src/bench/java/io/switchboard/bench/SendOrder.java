package io.switchboard.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which events the generator itself sent out of eventTime order: originals posted after a later event of their
 * conversation (the injected local swaps). Switchboard may deliver such an event after its successor, flagged
 * late (README, "Reorder"), and the {@code original} payload shape carries no flag, so a sink sees it go
 * backwards. Those are expected; any other backwards step is a real order violation.
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
