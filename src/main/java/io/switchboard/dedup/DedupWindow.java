package io.switchboard.dedup;

import io.switchboard.message.DedupVerdict;
import io.switchboard.message.Replay;

import java.security.SecureRandom;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Objects;

/**
 * Remembers recently seen events for a time-to-live window, bounded by an event count, and answers whether a
 * new event is a duplicate: its envelope id <em>or</em> its content fingerprint was seen within the window.
 * Single-threaded: one instance belongs to one event-loop thread.
 *
 * <h2>Layout</h2>
 * Each key is reduced to a seeded 64-bit hash ({@link DedupKeys}): a UUID id is parsed into its two longs and
 * mixed, any other id is string-hashed, a fingerprint contributes its first 16 hex chars (already uniform
 * digest bits). Nothing is allocated per event. Two primitive structures hold the window:
 * <ul>
 *   <li>a set of all remembered keys ({@link LongOpenHashSet}: one {@code long[]}, linear probing,
 *       backward-shift deletion) sized for a load of at most 0.6 when every event has both keys;</li>
 *   <li>a FIFO ring, in insertion order (which is time order), of (id key, fingerprint key, seconds since
 *       the first call) per event: it says which keys to drop when the oldest event expires or is evicted
 *       by the count bound.</li>
 * </ul>
 *
 * <h2>Memory (exact, excluding four 16-byte array headers and this object)</h2>
 * <ul>
 *   <li>ring: 8 + 8 + 4 = <b>20 bytes per event</b>;</li>
 *   <li>key set: {@code ceil(10/3 × events)} slots of 8 bytes = <b>26.67 bytes per event</b>, i.e.
 *       13.33 bytes per key at the 0.6 load of two keys per event (the table is not rounded up to a power of
 *       two, see {@link LongOpenHashSet});</li>
 *   <li>total: <b>46.67 bytes per remembered event</b> (23.33 per key when the event has an id; an event
 *       without an id uses one key but the same reserved space). {@link #bytesAtCapacity(int)} gives the
 *       figure for a bound: 1M events = 46,666,736 bytes (44.5 MiB); 10M events = 466.7 MB.</li>
 * </ul>
 * The arrays start at {@code initialEvents} and <b>grow by doubling</b>, clamped to {@code maxEvents}, so a
 * shard that sees little traffic holds little memory and the allocation at the bound is exactly the figure
 * above (never more; while growing, capacity is at most twice the events held). A growth step copies the
 * ring and re-adds every key by sweeping the old table in slot order, which is nearly sequential (see
 * {@link LongOpenHashSet#addAll}): 512k to 1M events took 20-60 ms on a busy 2-core machine, on the calling
 * thread, once per doubling, with old and new arrays briefly side by side. Pass
 * {@code initialEvents == maxEvents} to allocate everything up front instead, when a fixed footprint and no
 * pauses matter more than idle memory. The arrays never shrink: a window that was once busy will be again.
 *
 * <h2>False positives</h2>
 * Two different keys share a 64-bit hash with probability 2<sup>-64</sup>. A new event tests its (up to) two
 * keys against at most {@code 2N} remembered keys, so it is wrongly called a duplicate with probability at
 * most {@code 4N / 2^64 = N / 2^62}: <b>2.2 × 10<sup>-13</sup> per event at N = 1M</b> and
 * <b>2.2 × 10<sup>-12</sup> at N = 10M</b>. At a sustained 1,000 events/s into a full 10M window that is one
 * false drop every ~14 years (every ~146 years at 1M).
 *
 * <h2>Time</h2>
 * Timestamps are whole seconds, so an event is remembered for at least {@code ttlMillis} and for less than
 * {@code ttlMillis} + 2 s ({@code + 1 s} when the ttl is whole seconds). Every call expires what is due
 * first, so {@link #checkAndRemember} is exact without a timer; {@link #expire(long)} exists so that a
 * periodic timer releases memory on a quiet shard. Time going backwards is treated as standing still.
 */
public final class DedupWindow {

  /** One hour, the default window. */
  public static final long DEFAULT_TTL_MILLIS = 3_600_000;
  /** The largest supported count bound (its key table is the largest {@code long[]} we allow: ~7 GiB). */
  public static final int MAX_EVENTS = 1 << 28;
  /** Events the arrays hold before their first doubling. */
  public static final int DEFAULT_INITIAL_EVENTS = 1024;

  private static final int RING_BYTES_PER_EVENT = 8 + 8 + 4;
  private static final int ARRAY_HEADER_BYTES = 16;
  private static final long UNSET = Long.MIN_VALUE;

  private final long ttlMillis;
  private final long ttlSeconds;
  private final int maxEvents;
  private final long seed;

  private long[] ringIds;
  private long[] ringFingerprints;
  private int[] ringSeconds;
  private int head;
  private int count;
  private LongOpenHashSet keys;

  private long baseMillis = UNSET;
  private int lastSecond;
  private long evictions;
  /**
   * Until the journal replay after a restart ends: keys that a replay to be delivered may still claim once. They
   * are the keys restored from the snapshot, and those first seen by a replay that only restores state; null when
   * there is no replay.
   */
  private LongOpenHashSet restored;

  /** A window growing on demand from {@link #DEFAULT_INITIAL_EVENTS}. */
  public DedupWindow(long ttlMillis, int maxEvents) {
    this(ttlMillis, maxEvents, Math.min(maxEvents, DEFAULT_INITIAL_EVENTS));
  }

  /**
   * @param ttlMillis     how long an event is remembered, at least 1 ms
   * @param maxEvents     the count bound, 1 to {@link #MAX_EVENTS}; the oldest event is evicted beyond it
   * @param initialEvents capacity allocated now, 1 to {@code maxEvents}
   */
  public DedupWindow(long ttlMillis, int maxEvents, int initialEvents) {
    this(ttlMillis, maxEvents, initialEvents, new SecureRandom().nextLong());
  }

  /** With a fixed hash seed, so that tests can construct colliding and zero keys. */
  DedupWindow(long ttlMillis, int maxEvents, int initialEvents, long seed) {
    if (ttlMillis < 1 || ttlMillis > Integer.MAX_VALUE * 1000L) {
      throw new IllegalArgumentException("ttlMillis must be between 1 and " + Integer.MAX_VALUE * 1000L
          + ": " + ttlMillis);
    }
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("maxEvents must be between 1 and " + MAX_EVENTS + ": " + maxEvents);
    }
    if (initialEvents < 1 || initialEvents > maxEvents) {
      throw new IllegalArgumentException("initialEvents must be between 1 and maxEvents (" + maxEvents + "): "
          + initialEvents);
    }
    this.ttlMillis = ttlMillis;
    this.ttlSeconds = (ttlMillis + 999) / 1000;
    this.maxEvents = maxEvents;
    this.seed = seed;
    allocate(initialEvents);
  }

  /**
   * Looks the event up and, if it is new, remembers its id and fingerprint. A duplicate remembers nothing new
   * and does not extend the window of what it duplicates: the window runs from the first sighting.
   *
   * @param eventId     envelope id, {@code null} when the source has none (WebSocket messages)
   * @param fingerprint content fingerprint, normally 32 hex chars
   * @param nowMillis   current time; any clock, as long as it is the same for every call
   * @return {@link DedupVerdict#DUPLICATE_ID} if the id was seen (checked first),
   *     {@link DedupVerdict#DUPLICATE_CONTENT} if the fingerprint was, else {@link DedupVerdict#ACCEPTED}
   */
  public DedupVerdict checkAndRemember(String eventId, String fingerprint, long nowMillis) {
    return checkAndRemember(eventId, fingerprint, nowMillis, Replay.NONE);
  }

  /**
   * As {@link #checkAndRemember(String, String, long)}, for an event that may be a replay from the ingest journal.
   * A replay to be delivered ({@link Replay#DELIVER}) whose keys were restored from the snapshot is accepted once
   * more: the snapshot may have been taken after it passed dedup but before it was delivered, and the journal
   * replays for delivery exactly the events not known to be settled. Likewise when its keys were first seen, in
   * this replay, by a copy replayed only to restore state (another source instance may have journalled that copy
   * as a duplicate, and replay it first). A second copy to deliver is a duplicate as usual, and so is a live one.
   * A copy replayed only to restore state passes a restored key too, without claiming it: the dedup snapshot may
   * hold an event the state snapshot does not have yet.
   */
  public DedupVerdict checkAndRemember(String eventId, String fingerprint, long nowMillis, Replay replay) {
    Objects.requireNonNull(fingerprint, "fingerprint");
    int second = secondOf(nowMillis);
    expireAt(second);
    long idKey = eventId == null ? 0 : DedupKeys.idKey(eventId, seed);
    long fingerprintKey = DedupKeys.fingerprintKey(fingerprint, seed);
    if (replay == Replay.DELIVER && restored != null) {
      boolean claimed = idKey != 0 && restored.remove(idKey);
      claimed |= restored.remove(fingerprintKey);
      if (claimed) {
        return DedupVerdict.ACCEPTED;
      }
    }
    if (replay == Replay.RESTORE_ONLY && restored != null
        && ((idKey != 0 && restored.contains(idKey)) || restored.contains(fingerprintKey))) {
      // The dedup snapshot can be ahead of the state snapshot (the event was between them when both were taken):
      // let it through to state, which skips it if it has it, and leave the key for a copy to deliver.
      return DedupVerdict.ACCEPTED;
    }
    if (idKey != 0 && keys.contains(idKey)) {
      return DedupVerdict.DUPLICATE_ID;
    }
    if (keys.contains(fingerprintKey)) {
      return DedupVerdict.DUPLICATE_CONTENT;
    }
    insert(idKey, fingerprintKey, second);
    if (replay == Replay.RESTORE_ONLY && restored != null) {
      claimable(idKey, fingerprintKey);
    }
    return DedupVerdict.ACCEPTED;
  }

  /** Forgets every event older than the ttl; returns how many. Amortised O(1) per forgotten event. */
  public int expire(long nowMillis) {
    return expireAt(secondOf(nowMillis));
  }

  /** Events currently remembered. */
  public int size() {
    return count;
  }

  /** The count bound. */
  public int maxEvents() {
    return maxEvents;
  }

  /** The time to live, in milliseconds. */
  public long ttlMillis() {
    return ttlMillis;
  }

  /**
   * Events forgotten because of the count bound before their ttl ran out, since construction. Worth a metric:
   * if it grows, the window is shorter than configured and late redeliveries will get through.
   */
  public long evictions() {
    return evictions;
  }

  /** Bytes held by this window's arrays now (payload plus array headers). */
  public long allocatedBytes() {
    return arrayBytes(ringIds.length, keys.capacity());
  }

  /** Bytes a window bounded at {@code maxEvents} holds once it has grown to its bound. */
  public static long bytesAtCapacity(int maxEvents) {
    if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
      throw new IllegalArgumentException("maxEvents must be between 1 and " + MAX_EVENTS + ": " + maxEvents);
    }
    return arrayBytes(maxEvents, tableSlotsFor(maxEvents));
  }

  /**
   * Writes what the window remembers, oldest first, for {@link #restore}: the hash seed, then each event's keys
   * and the epoch second it was first seen. 20 bytes per event.
   */
  public void writeTo(DataOutput out) throws IOException {
    out.writeLong(seed);
    out.writeInt(count);
    for (int i = 0; i < count; i++) {
      int at = slot(i);
      out.writeLong(ringIds[at]);
      out.writeLong(ringFingerprints[at]);
      out.writeLong(baseMillis + ringSeconds[at] * 1000L);
    }
  }

  /**
   * A window holding what {@link #writeTo} wrote, under the current bounds (the oldest events go first when the
   * bound shrank; expired ones go at the next call). Until {@link #endReplay()}, each restored event is accepted
   * once more from a replayed event: see {@link #checkAndRemember(String, String, long, Replay)}.
   */
  public static DedupWindow restore(DataInput in, long ttlMillis, int maxEvents) throws IOException {
    long seed = in.readLong();
    int events = in.readInt();
    if (events < 0) {
      throw new IOException("dedup snapshot claims " + events + " events");
    }
    DedupWindow window = new DedupWindow(ttlMillis, maxEvents, Math.max(1, Math.min(maxEvents, events)), seed);
    window.restored = new LongOpenHashSet(tableSlotsFor(Math.max(1, events)));
    for (int i = 0; i < events; i++) {
      window.rememberKeys(in.readLong(), in.readLong(), in.readLong());
    }
    return window;
  }

  /**
   * Starts a replay without a snapshot: copies replayed only to restore state leave their keys claimable by a copy
   * to be delivered, until {@link #endReplay()}. {@link #restore} starts one itself.
   */
  public void beginReplay() {
    if (restored == null) {
      restored = new LongOpenHashSet(16);
    }
  }

  /** The replay after a restart is over: restored events are ordinary remembered events from now on. */
  public void endReplay() {
    restored = null;
  }

  private void rememberKeys(long idKey, long fingerprintKey, long firstSeenMillis) {
    insert(idKey, fingerprintKey, secondOf(firstSeenMillis));
    claimable(idKey, fingerprintKey);
  }

  /** Appends an event's keys at the tail, growing the ring up to the bound and evicting the oldest beyond it. */
  private void insert(long idKey, long fingerprintKey, int second) {
    if (count == ringIds.length) {
      if (count < maxEvents) {
        allocate((int) Math.min(maxEvents, 2L * count));
      } else {
        removeOldest();
        evictions++;
      }
    }
    int tail = slot(count);
    ringIds[tail] = idKey;
    ringFingerprints[tail] = fingerprintKey;
    ringSeconds[tail] = second;
    count++;
    if (idKey != 0) {
      keys.add(idKey);
    }
    // No-op in the 2^-64 case of an id and a fingerprint hashing alike; removal copes with the missing twin.
    keys.add(fingerprintKey);
  }

  /** Lets a replay to be delivered claim these keys once, growing the set at a load of one half. */
  private void claimable(long idKey, long fingerprintKey) {
    if (2 * (restored.size() + 2) >= restored.capacity()) {
      LongOpenHashSet grown = new LongOpenHashSet(2 * restored.capacity() + 4);
      grown.addAll(restored);
      restored = grown;
    }
    if (idKey != 0) {
      restored.add(idKey);
    }
    restored.add(fingerprintKey);
  }

  /** Test support: the key table is intact and holds exactly the ring's keys. */
  boolean isConsistent() {
    int expectedKeys = 0;
    for (int i = 0; i < count; i++) {
      long id = ringIds[slot(i)];
      long fingerprint = ringFingerprints[slot(i)];
      if (id != 0 && !keys.contains(id) || !keys.contains(fingerprint)) {
        return false;
      }
      expectedKeys += id != 0 && id != fingerprint ? 2 : 1;
    }
    return keys.isConsistent() && keys.size() == expectedKeys;
  }

  /** Test support: the ring's current capacity. */
  int capacity() {
    return ringIds.length;
  }

  private int expireAt(int second) {
    int expired = 0;
    while (count > 0 && (long) second - ringSeconds[head] > ttlSeconds) {
      removeOldest();
      expired++;
    }
    return expired;
  }

  private void removeOldest() {
    long id = ringIds[head];
    if (id != 0) {
      keys.remove(id);
    }
    keys.remove(ringFingerprints[head]);
    if (restored != null) {
      if (id != 0) {
        restored.remove(id);
      }
      restored.remove(ringFingerprints[head]);
    }
    head = head + 1 == ringIds.length ? 0 : head + 1;
    count--;
  }

  /** (Re)allocates the ring for {@code events}, keeping its contents in order, and rebuilds the key set. */
  private void allocate(int events) {
    long[] ids = new long[events];
    long[] fingerprints = new long[events];
    int[] seconds = new int[events];
    for (int i = 0; i < count; i++) {
      ids[i] = ringIds[slot(i)];
      fingerprints[i] = ringFingerprints[slot(i)];
      seconds[i] = ringSeconds[slot(i)];
    }
    ringIds = ids;
    ringFingerprints = fingerprints;
    ringSeconds = seconds;
    head = 0;
    LongOpenHashSet grown = new LongOpenHashSet(tableSlotsFor(events));
    if (keys != null) {
      grown.addAll(keys);
    }
    keys = grown;
  }

  private int slot(int offset) {
    int i = head + offset;
    return i < ringIds.length ? i : i - ringIds.length;
  }

  private int secondOf(long nowMillis) {
    if (baseMillis == UNSET) {
      baseMillis = nowMillis;
    }
    long second = Math.floorDiv(nowMillis - baseMillis, 1000L);
    lastSecond = (int) Math.min(Integer.MAX_VALUE, Math.max(lastSecond, second));
    return lastSecond;
  }

  /** {@code ceil(events × 10 / 3)}: a load of at most 0.6 with two keys per event. */
  private static int tableSlotsFor(int events) {
    return (int) ((events * 10L + 2) / 3);
  }

  private static long arrayBytes(int ringSlots, int tableSlots) {
    return (long) RING_BYTES_PER_EVENT * ringSlots + 8L * tableSlots + 4L * ARRAY_HEADER_BYTES;
  }
}
