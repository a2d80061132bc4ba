package io.switchboard.state;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The conversations of one shard whose delivery is on hold (an event waiting for its enrichment), each with the
 * events that arrived for it meanwhile, in arrival order. A held conversation's later events wait here instead of
 * overtaking the held one; every other conversation of the shard goes on. {@link #release} hands them back in order.
 *
 * <p>Bounds: a hold lasts at most the enrichment timeout, and the events queued here are admitted and unsettled, so
 * ingest's in-flight limit bounds them; {@link #queued()} is exported as a gauge. Not thread-safe: owned by the
 * shard's verticle.
 *
 * @param <E> the event type
 */
public final class ConversationHolds<E> {

  private final Map<String, ArrayDeque<E>> held = new HashMap<>();
  private int queued;

  /** Whether {@code conversationId} is on hold: its events must be {@link #queue queued}. */
  public boolean isHeld(String conversationId) {
    return held.containsKey(conversationId);
  }

  /** Puts the conversation on hold; it must not be already. */
  public void hold(String conversationId) {
    if (held.putIfAbsent(Objects.requireNonNull(conversationId, "conversationId"), new ArrayDeque<>(2)) != null) {
      throw new IllegalStateException("conversation " + conversationId + " is already on hold");
    }
  }

  /** Queues {@code event} behind the held conversation's earlier ones. */
  public void queue(String conversationId, E event) {
    ArrayDeque<E> events = held.get(conversationId);
    if (events == null) {
      throw new IllegalStateException("conversation " + conversationId + " is not on hold");
    }
    events.addLast(Objects.requireNonNull(event, "event"));
    queued++;
  }

  /** Ends the hold; yields what queued meanwhile, oldest first (the caller goes on with them in that order). */
  public ArrayDeque<E> release(String conversationId) {
    ArrayDeque<E> events = held.remove(conversationId);
    if (events == null) {
      throw new IllegalStateException("conversation " + conversationId + " is not on hold");
    }
    queued -= events.size();
    return events;
  }

  /** Conversations on hold. */
  public int held() {
    return held.size();
  }

  /** Events queued behind held conversations. */
  public int queued() {
    return queued;
  }
}
