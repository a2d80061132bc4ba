package io.switchboard.dispatch.queue;

/**
 * One offered item, linked intrusively into two lists at once: its key's FIFO and the queue-wide offer
 * order. Intrusive links cost three references per item instead of a node object per list, and let the
 * queue unlink a settled item from the offer order in O(1).
 */
final class QueuedItem<T> {

  final T item;
  final long enqueuedAt;
  /** Queue-wide offer sequence; orders key heads for fairness and never changes. */
  final long seq;

  QueuedItem<T> nextInKey;
  QueuedItem<T> older;
  QueuedItem<T> newer;

  QueuedItem(T item, long enqueuedAt, long seq) {
    this.item = item;
    this.enqueuedAt = enqueuedAt;
    this.seq = seq;
  }
}
