package io.switchboard.dispatch;

import io.switchboard.message.ProcessedEvent;

/**
 * The key whose order a target keeps: at most one delivery per key is in flight or waiting for a retry, so a retried
 * delivery is never overtaken by a later one with the same key. The same function picks the dispatcher instance that
 * owns the key ({@link TargetRoutes}), so everything sharing a key meets in one queue.
 *
 * <p>By default the conversation; a stream target that orders by partition key (Kinesis with queue-id keys, say)
 * uses that key, so conversations sharing a partition key also keep their order there. Must be a pure function of
 * the event: the sender and the owning dispatcher compute it independently.
 */
@FunctionalInterface
public interface OrderingKey {

  /** The conversation id. */
  OrderingKey CONVERSATION = event -> event.event().conversationId();

  String of(ProcessedEvent event);
}
