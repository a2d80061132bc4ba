package io.switchboard.it.genesys;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** The conversations tests (or the main's generator) created, by id. Confined to the emulator's context. */
final class ConversationStore {

  private final Map<String, StoredConversation> conversations = new LinkedHashMap<>();

  void put(StoredConversation conversation) {
    conversations.put(conversation.id(), Objects.requireNonNull(conversation));
  }

  /** A conversation that has started; one that was declared but not started is not visible yet. */
  Optional<StoredConversation> get(String id) {
    return Optional.ofNullable(conversations.get(id)).filter(c -> c.startMillis() >= 0);
  }

  /** Conversations with activity in [from, to), oldest start first (the async jobs' default order). */
  List<StoredConversation> activeIn(long from, long to) {
    return conversations.values().stream().filter(c -> c.activeIn(from, to))
        .sorted(Comparator.comparingLong(StoredConversation::startMillis)).toList();
  }

  int size() {
    return conversations.size();
  }
}
