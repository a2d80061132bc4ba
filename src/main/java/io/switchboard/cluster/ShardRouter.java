package io.switchboard.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * Sends one source's events to the owners of their shards, in admission order per shard, through ownership changes.
 *
 * <ul>
 *   <li>An event goes at once to its shard's owner unless earlier events of the shard wait here, or are still
 *       unanswered by a different node: then it waits, so a shard's events never reach two owners interleaved.</li>
 *   <li>An event a node turned away ("not owner": it is handing the shard over, or never had it) waits here in
 *       sequence order and is sent again to the owner the view names then, no sooner than {@code retryMillis}
 *       later.</li>
 * </ul>
 *
 * <p>Pure and single-threaded: the source's event loop calls it and passes the time in; sending is the caller's.
 * Per shard it keeps the node its unanswered events went to and how many there are, plus the waiting events.
 *
 * @param <T> what is routed (carries its shard and sequence number)
 */
public final class ShardRouter<T extends ShardRouter.Routed> {

  /** Something to route: its shard and the source's sequence number, which orders it. */
  public interface Routed {
    int shard();

    long seq();
  }

  /** Sends an item to a node. */
  public interface Sender<T> {
    void send(T item, String node);
  }

  private static final class Lane<T> {
    final TreeMap<Long, T> waiting = new TreeMap<>();
    String sentTo;
    int unanswered;
    long notBefore;
  }

  private final IntFunction<String> ownerOf;
  private final Sender<T> sender;
  private final long retryMillis;
  private final Map<Integer, Lane<T>> lanes = new HashMap<>();
  private int waiting;

  /**
   * @param ownerOf the owner of a shard in the current view, or null when none is known yet
   */
  public ShardRouter(IntFunction<String> ownerOf, Sender<T> sender, long retryMillis) {
    this.ownerOf = Objects.requireNonNull(ownerOf, "ownerOf");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.retryMillis = retryMillis;
  }

  /** A new event: sent now when nothing before it waits and no other node holds the shard's unanswered events. */
  public void submit(T item, long now) {
    Lane<T> lane = lanes.computeIfAbsent(item.shard(), s -> new Lane<>());
    lane.waiting.put(item.seq(), item);
    waiting++;
    flush(item.shard(), lane, now);
  }

  /** The node answered (accepted, duplicate, or the wait timed out): one fewer unanswered event of its shard. */
  public void answered(T item, long now) {
    Lane<T> lane = lanes.get(item.shard());
    if (lane == null) {
      return;
    }
    lane.unanswered = Math.max(0, lane.unanswered - 1);
    flush(item.shard(), lane, now);
  }

  /** The node said it does not own the shard: the event waits in order and goes again after {@code retryMillis}. */
  public void turnedAway(T item, long now) {
    Lane<T> lane = lanes.computeIfAbsent(item.shard(), s -> new Lane<>());
    lane.unanswered = Math.max(0, lane.unanswered - 1);
    if (lane.waiting.put(item.seq(), item) == null) {
      waiting++;
    }
    lane.notBefore = now + retryMillis;
  }

  /** Sends what may go now, in every shard: call on a timer while {@link #waiting()} and when the view changes. */
  public void retry(long now) {
    // flush removes lanes it empties: iterate over a copy.
    for (Map.Entry<Integer, Lane<T>> entry : new java.util.ArrayList<>(lanes.entrySet())) {
      flush(entry.getKey(), entry.getValue(), now);
    }
  }

  /**
   * {@code gone} left the cluster: their unanswered events will never be answered (their waits time out on their
   * own), so they no longer hold back the shards' later events.
   */
  public void forget(java.util.Collection<String> gone) {
    for (Lane<T> lane : lanes.values()) {
      if (lane.sentTo != null && gone.contains(lane.sentTo)) {
        lane.unanswered = 0;
      }
    }
  }

  /** Drops the waiting events {@code gone} says nobody waits for any more (their source gave up on them). */
  public void dropIf(Predicate<T> gone) {
    for (Lane<T> lane : lanes.values()) {
      int before = lane.waiting.size();
      lane.waiting.values().removeIf(gone);
      waiting -= before - lane.waiting.size();
    }
  }

  /** Events waiting here (not sent, or turned away and not sent again yet). */
  public int waiting() {
    return waiting;
  }

  private void flush(int shard, Lane<T> lane, long now) {
    if (now < lane.notBefore) {
      return;
    }
    while (!lane.waiting.isEmpty()) {
      String owner = ownerOf.apply(shard);
      if (owner == null || (lane.unanswered > 0 && !owner.equals(lane.sentTo))) {
        return;
      }
      T next = lane.waiting.pollFirstEntry().getValue();
      waiting--;
      lane.sentTo = owner;
      lane.unanswered++;
      sender.send(next, owner);
    }
    if (lane.unanswered == 0) {
      lanes.remove(shard);
    }
  }
}
