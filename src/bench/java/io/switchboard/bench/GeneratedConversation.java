package io.switchboard.bench;

import java.util.List;
import java.util.Objects;

/**
 * One generated conversation: its sends in the order they are to be posted, copies and swaps included.
 *
 * @param startTime eventTime of its first event
 */
public record GeneratedConversation(String id, ConversationKind kind, long startTime, List<Send> sends) {

  public GeneratedConversation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    sends = List.copyOf(sends);
  }

  /** Envelope ids that must each be delivered exactly once: one per distinct event. */
  public List<String> expectedIds() {
    return sends.stream().filter(s -> s.copy() == Send.Copy.ORIGINAL).map(Send::envelopeId).toList();
  }
}
