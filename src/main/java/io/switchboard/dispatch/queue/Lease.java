package io.switchboard.dispatch.queue;

/**
 * Permission to attempt one delivery of one item, handed out by {@link KeyedDeliveryQueue#next(long)}. The
 * holder must hand it back exactly once through {@code succeeded}, {@code failedPermanently} or
 * {@code retryAt}; until then the item's key is blocked, so no later item of the same key can overtake it.
 *
 * <p>Identity matters, not value: the queue accepts a settlement only from the lease it issued last for that
 * key. A second settlement of the same lease, or one arriving after {@link KeyedDeliveryQueue#drainAll()},
 * is ignored rather than applied to whatever item now heads the key.
 *
 * @param <T> the delivery item
 */
public final class Lease<T> {

  private final String key;
  private final T item;
  private final int attempt;
  private final long firstAttemptAt;
  private final long enqueuedAt;

  Lease(String key, T item, int attempt, long firstAttemptAt, long enqueuedAt) {
    this.key = key;
    this.item = item;
    this.attempt = attempt;
    this.firstAttemptAt = firstAttemptAt;
    this.enqueuedAt = enqueuedAt;
  }

  /** The ordering key (conversation id). */
  public String key() {
    return key;
  }

  public T item() {
    return item;
  }

  /** 1 for the first attempt, incremented by every {@code retryAt}. */
  public int attempt() {
    return attempt;
  }

  /** The clock value given to the {@code next} call that leased this item for the first time. */
  public long firstAttemptAt() {
    return firstAttemptAt;
  }

  /** The time given to {@code offer}, for queue-latency metrics and max-age decisions. */
  public long enqueuedAt() {
    return enqueuedAt;
  }

  @Override
  public String toString() {
    return "Lease[key=" + key + ", attempt=" + attempt + "]";
  }
}
