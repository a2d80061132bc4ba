package io.switchboard.dispatch.queue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * The bounded delivery queue of one target: decides which item may be attempted next so that items of one
 * key (conversation) reach the target in offer order, even across retries, while other keys keep flowing.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Per key, items are leased in offer order and at most one item per key is leased or waiting for a
 *       retry at any time: a retried item blocks its own key only, so no later item of that conversation can
 *       overtake it at this target.</li>
 *   <li>At most {@code maxInFlight} leases are outstanding across all keys.</li>
 *   <li>Among keys whose head may be attempted now, the head offered earliest goes first. A retried head
 *       keeps its original rank, so once due it goes ahead of younger work.</li>
 *   <li>{@link #offer} refuses (returns {@code false}) at capacity; nothing is ever dropped here. Capacity
 *       counts every held item: waiting, leased and waiting for a retry.</li>
 * </ul>
 *
 * <h2>Cost</h2>
 * {@code offer}, a settlement and each lease handed out are O(log k), k being the number of keys with items
 * (two binary heaps of keys: ready heads by offer order, blocked heads by retry time); promoting a due retry
 * is O(log k) once per retry; the introspection methods are O(1); {@link #drainAll()} is O(n). Nothing scans
 * all keys or items.
 *
 * <h2>Memory</h2>
 * About 48 bytes per held item (one node linked into its key's FIFO and into the offer-order list; the item
 * itself not counted) plus about 90 bytes per key with items (lane, hash-map entry, heap slot), on a 64-bit
 * JVM with compressed references. A key's lane is freed as soon as its last item settles, so idle
 * conversations cost nothing. Each lease is a short-lived 40-byte object.
 *
 * <h2>Threading</h2>
 * Not thread-safe and takes no locks, by design: one event loop owns the queue. Time is always passed in, so the
 * queue never reads a clock.
 *
 * @param <T> the delivery item
 */
public final class KeyedDeliveryQueue<T> {

  private static final Comparator<KeyLane<?>> BY_HEAD_SEQ = Comparator.comparingLong(KeyLane::headSeq);
  private static final Comparator<KeyLane<?>> BY_RETRY_TIME =
      Comparator.<KeyLane<?>>comparingLong(lane -> lane.retryAt).thenComparingLong(KeyLane::headSeq);

  private final int capacity;
  private final int maxInFlight;
  private final Map<String, KeyLane<T>> lanes = new HashMap<>();
  private final PriorityQueue<KeyLane<T>> ready = new PriorityQueue<>(BY_HEAD_SEQ);
  private final PriorityQueue<KeyLane<T>> retrying = new PriorityQueue<>(BY_RETRY_TIME);
  private QueuedItem<T> oldest;
  private QueuedItem<T> newest;
  private long nextSeq;
  private int size;
  private int inFlight;
  /** Retried heads whose time has come, moved to the ready heap but not leased yet. */
  private int dueRetries;

  /**
   * @param capacity    most items held at once, leased ones included
   * @param maxInFlight most leases outstanding at once, across keys
   */
  public KeyedDeliveryQueue(int capacity, int maxInFlight) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, got " + maxInFlight);
    }
    this.capacity = capacity;
    this.maxInFlight = maxInFlight;
  }

  /**
   * Appends {@code item} to its key's FIFO.
   *
   * @param enqueuedAtMillis when it entered this queue; reported back by {@link Lease#enqueuedAt()} and
   *                         {@link #oldestEnqueuedAt()}
   * @return {@code false}, leaving the queue unchanged, when it already holds {@link #capacity()} items
   */
  public boolean offer(String key, T item, long enqueuedAtMillis) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(item, "item");
    if (size >= capacity) {
      return false;
    }
    QueuedItem<T> queued = new QueuedItem<>(item, enqueuedAtMillis, nextSeq++);
    linkNewest(queued);
    size++;
    KeyLane<T> lane = lanes.get(key);
    if (lane == null) {
      lane = new KeyLane<>(key);
      lanes.put(key, lane);
      lane.append(queued);
      ready.add(lane);
    } else {
      // The lane is already ready, leased or retrying because of its head; a new tail changes none of that.
      lane.append(queued);
    }
    return true;
  }

  /**
   * The next item that may be attempted at {@code nowMillis}, if any: its key has nothing leased, its retry
   * time (if any) has passed, and fewer than {@code maxInFlight} leases are outstanding.
   */
  public Optional<Lease<T>> next(long nowMillis) {
    if (inFlight >= maxInFlight) {
      return Optional.empty();
    }
    promoteDueRetries(nowMillis);
    KeyLane<T> lane = ready.poll();
    return lane == null ? Optional.empty() : Optional.of(lease(lane, nowMillis));
  }

  /**
   * Up to {@code max} leases at once, oldest-ready first, for targets that deliver in batches. A batch holds
   * at most one item per key (the key is blocked once leased), so a partial batch failure can never reorder
   * a conversation; each lease counts against {@code maxInFlight}.
   */
  public List<Lease<T>> drainReady(long nowMillis, int max) {
    int room = Math.min(max, maxInFlight - inFlight);
    if (room <= 0) {
      return List.of();
    }
    promoteDueRetries(nowMillis);
    List<Lease<T>> batch = new ArrayList<>(Math.min(room, ready.size()));
    for (KeyLane<T> lane; batch.size() < room && (lane = ready.poll()) != null; ) {
      batch.add(lease(lane, nowMillis));
    }
    return batch;
  }

  /**
   * {@code true} if {@link #next(long)} would return a lease now. Lets a rate-limited dispatcher take a token
   * only when there is something to spend it on.
   */
  public boolean hasReady(long nowMillis) {
    if (inFlight >= maxInFlight) {
      return false;
    }
    promoteDueRetries(nowMillis);
    return !ready.isEmpty();
  }

  /**
   * The item was delivered: removes it and frees its key for the next item.
   *
   * @return {@code false} if the lease was already settled or drained, in which case nothing changes
   */
  public boolean succeeded(Lease<T> lease) {
    return complete(lease);
  }

  /**
   * The item will never be delivered (dead-lettered): removes it and frees its key for the next item.
   *
   * @return {@code false} if the lease was already settled or drained, in which case nothing changes
   */
  public boolean failedPermanently(Lease<T> lease) {
    return complete(lease);
  }

  /**
   * The attempt failed and should be repeated at {@code atMillis}: the item stays at the head of its key,
   * which stays blocked until then; the next lease of it carries attempt + 1. A time already passed makes it
   * eligible on the next call to {@code next}.
   *
   * @return {@code false} if the lease was already settled or drained, in which case nothing changes
   */
  public boolean retryAt(Lease<T> lease, long atMillis) {
    KeyLane<T> lane = laneOf(lease);
    if (lane == null) {
      return false;
    }
    lane.lease = null;
    inFlight--;
    lane.retryAt = atMillis;
    retrying.add(lane);
    return true;
  }

  /**
   * Makes every item waiting for a retry due now. Used when a target that was failing answers again: the
   * backed-off retries (spread over up to the maximum backoff) would otherwise trickle in while everything
   * behind them waits, so recovery would take as long as the backoff cap. Concurrency still applies.
   *
   * @return how many retries were brought forward
   */
  public int expediteRetries(long nowMillis) {
    int n = 0;
    for (KeyLane<T> lane; (lane = retrying.poll()) != null; n++) {
      lane.retryAt = nowMillis;
      ready.add(lane);
      dueRetries++;
    }
    return n;
  }

  /**
   * The earliest retry time among blocked heads, or {@link Long#MAX_VALUE} if none: the one timer the owner
   * needs besides reacting to offers and settlements. It may lie in the past if no {@code next},
   * {@code drainReady} or {@code hasReady} call has run since it came due; retries already found due are
   * not counted, because they need no timer, only a free concurrency slot.
   */
  public long nextWakeupMillis() {
    KeyLane<T> first = retrying.peek();
    return first == null ? Long.MAX_VALUE : first.retryAt;
  }

  /**
   * Removes and returns every held item, leased ones included, in offer order (so per-key order is kept for
   * parking and redrive). Outstanding leases become stale: settling them afterwards returns {@code false}.
   */
  public List<T> drainAll() {
    List<T> items = new ArrayList<>(size);
    for (QueuedItem<T> queued = oldest; queued != null; queued = queued.newer) {
      items.add(queued.item);
    }
    lanes.clear();
    ready.clear();
    retrying.clear();
    oldest = null;
    newest = null;
    size = 0;
    inFlight = 0;
    dueRetries = 0;
    return Collections.unmodifiableList(items);
  }

  /**
   * How many held items (waiting, leased or waiting for a retry) {@code which} selects. O(n): for the rare question
   * of a shard handover, never per item.
   */
  public int count(java.util.function.Predicate<? super T> which) {
    int count = 0;
    for (QueuedItem<T> queued = oldest; queued != null; queued = queued.newer) {
      if (which.test(queued.item)) {
        count++;
      }
    }
    return count;
  }

  /** Items held: waiting, leased and waiting for a retry. */
  public int size() {
    return size;
  }

  /** Outstanding leases. */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Items that failed an attempt and wait for the next one: blocked until their retry time, or due but not
   * leased yet.
   */
  public int waitingForRetry() {
    return retrying.size() + dueRetries;
  }

  /** Distinct keys with at least one held item. */
  public int keys() {
    return lanes.size();
  }

  /**
   * The enqueue time of the earliest-offered item still held, or empty when the queue is empty. With
   * non-decreasing enqueue times (a clock) this is the oldest one.
   */
  public OptionalLong oldestEnqueuedAt() {
    return oldest == null ? OptionalLong.empty() : OptionalLong.of(oldest.enqueuedAt);
  }

  public int capacity() {
    return capacity;
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  private Lease<T> lease(KeyLane<T> lane, long nowMillis) {
    QueuedItem<T> head = lane.head();
    if (lane.attempts++ == 0) {
      lane.firstAttemptAt = nowMillis;
    } else {
      dueRetries--;
    }
    lane.lease = new Lease<>(lane.key, head.item, lane.attempts, lane.firstAttemptAt, head.enqueuedAt);
    inFlight++;
    return lane.lease;
  }

  private boolean complete(Lease<T> lease) {
    KeyLane<T> lane = laneOf(lease);
    if (lane == null) {
      return false;
    }
    inFlight--;
    unlink(lane.removeHead());
    size--;
    if (lane.isEmpty()) {
      lanes.remove(lane.key);
    } else {
      ready.add(lane);
    }
    return true;
  }

  /** The lane whose outstanding lease is exactly {@code lease}, or {@code null} for a stale one. */
  private KeyLane<T> laneOf(Lease<T> lease) {
    Objects.requireNonNull(lease, "lease");
    KeyLane<T> lane = lanes.get(lease.key());
    return lane != null && lane.lease == lease ? lane : null;
  }

  private void promoteDueRetries(long nowMillis) {
    for (KeyLane<T> first; (first = retrying.peek()) != null && first.retryAt <= nowMillis; ) {
      ready.add(retrying.poll());
      dueRetries++;
    }
  }

  private void linkNewest(QueuedItem<T> queued) {
    queued.older = newest;
    if (newest == null) {
      oldest = queued;
    } else {
      newest.newer = queued;
    }
    newest = queued;
  }

  private void unlink(QueuedItem<T> queued) {
    if (queued.older == null) {
      oldest = queued.newer;
    } else {
      queued.older.newer = queued.newer;
    }
    if (queued.newer == null) {
      newest = queued.older;
    } else {
      queued.newer.older = queued.older;
    }
    queued.older = null;
    queued.newer = null;
  }
}
