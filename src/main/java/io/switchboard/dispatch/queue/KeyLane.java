package io.switchboard.dispatch.queue;

/**
 * The items of one key, oldest first, and the delivery state of the head. Only the head is ever leased,
 * so attempt bookkeeping lives here rather than on every item.
 *
 * <p>At any moment a lane with items is in exactly one of three places, which is what keeps the queue free
 * of scans: the ready heap (head may be leased), the retry heap (head waits for {@link #retryAt}), or
 * nowhere because its head is leased ({@link #lease} is set).
 */
final class KeyLane<T> {

  final String key;
  private QueuedItem<T> head;
  private QueuedItem<T> tail;

  /** Attempts started for the current head; 0 until it is first leased. */
  int attempts;
  long firstAttemptAt;
  long retryAt;
  /** The outstanding lease of the head, or {@code null} when the head is not in flight. */
  Lease<T> lease;

  KeyLane(String key) {
    this.key = key;
  }

  void append(QueuedItem<T> queued) {
    if (tail == null) {
      head = queued;
    } else {
      tail.nextInKey = queued;
    }
    tail = queued;
  }

  QueuedItem<T> head() {
    return head;
  }

  /** Offer sequence of the head; the lane's rank in the ready and retry heaps. */
  long headSeq() {
    return head.seq;
  }

  /** Drops the settled head and resets the attempt state for the next one. */
  QueuedItem<T> removeHead() {
    QueuedItem<T> removed = head;
    head = removed.nextInKey;
    removed.nextInKey = null;
    if (head == null) {
      tail = null;
    }
    attempts = 0;
    firstAttemptAt = 0;
    retryAt = 0;
    lease = null;
    return removed;
  }

  boolean isEmpty() {
    return head == null;
  }
}
