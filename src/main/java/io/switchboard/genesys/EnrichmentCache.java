package io.switchboard.genesys;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One state shard's conversation summaries ({@link ConversationSummary}, encoded) and the decision, per delivered
 * event, whether it triggers a fetch. Owned by the shard's state verticle, like the shard's conversations: touched
 * only on its event loop, so no locks, and written into the shard's snapshot beside them.
 *
 * <p><b>Triggers.</b> With {@code on} empty ("first"), an event of a conversation that has no summary yet triggers:
 * its first event, and after a failed fetch its next one. With {@code on} a set of event types, an event of one of
 * them triggers unless the summary is younger than {@code cacheMillis}. Either way no second fetch starts while one
 * runs ({@link Start#PENDING}), a conversation whose fetches failed {@code maxAttempts} times in a row is given up
 * ({@link Start#GIVEN_UP}), and at most {@code maxInFlight} fetches run per shard ({@link Start#SATURATED}): under a
 * burst of new conversations enrichment degrades instead of queueing ever more permits at the node's shared request
 * budget, where the sources' own calls wait too.
 *
 * <p><b>Memory.</b> At most {@code maxCached} entries, least recently fetched dropped first; the shard's sweep also
 * drops those whose conversation it no longer holds ({@link #retainAll}), so the cache follows the conversation
 * store. An entry is its id, a few fields and the summary bytes (under 700 for the voice sample).
 */
public final class EnrichmentCache {

  /** What an event means for enrichment. */
  public enum Start {
    /** Fetch now: the caller must call {@link #fetched} or {@link #failed} exactly once for it. */
    FETCH,
    /** Not a trigger (or, with "first", the conversation has its summary). */
    NOT_TRIGGER,
    /** A trigger, but the summary is fresh enough. */
    CACHED,
    /** A trigger while a fetch for the conversation runs. */
    PENDING,
    /** A trigger while the shard has {@code maxInFlight} fetches running. */
    SATURATED,
    /** A trigger of a conversation whose fetches failed {@code maxAttempts} times in a row (listed types only). */
    GIVEN_UP
  }

  /** Marks the section in a shard snapshot ("ENR1"): anything else there is not ours. */
  static final int MAGIC = 0x454E5231;
  private static final int MAX_SUMMARY_BYTES = 64 * 1024;

  private static final class Entry {
    byte[] summary;
    long fetchedAt;
    int failures;
    boolean inFlight;
  }

  private final Set<String> on;
  private final long cacheMillis;
  private final int maxCached;
  private final int maxAttempts;
  private final int maxInFlight;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
  private int inFlight;

  /**
   * @param on event types that trigger; empty: "first" (until the conversation has a summary)
   */
  public EnrichmentCache(Set<String> on, long cacheMillis, int maxCached, int maxAttempts, int maxInFlight) {
    this.on = Set.copyOf(Objects.requireNonNull(on, "on"));
    if (maxCached < 1 || maxAttempts < 1 || maxInFlight < 1 || cacheMillis < 0) {
      throw new IllegalArgumentException("maxCached, maxAttempts and maxInFlight must be positive, cacheMillis ≥ 0");
    }
    this.cacheMillis = cacheMillis;
    this.maxCached = maxCached;
    this.maxAttempts = maxAttempts;
    this.maxInFlight = maxInFlight;
  }

  /** Decides for an event of {@code conversationId} of {@code eventType} that is about to be delivered. */
  public Start begin(String conversationId, String eventType, long now) {
    Entry entry = entries.get(conversationId);
    boolean trigger = on.isEmpty() ? entry == null || entry.summary == null : on.contains(eventType);
    if (!trigger) {
      return Start.NOT_TRIGGER;
    }
    if (entry != null && entry.inFlight) {
      return Start.PENDING;
    }
    if (entry != null && entry.summary != null && now - entry.fetchedAt < cacheMillis) {
      return Start.CACHED;
    }
    if (entry != null && entry.failures >= maxAttempts) {
      // With "first" every later event would be a trigger again: counted once, when the last attempt failed.
      return on.isEmpty() ? Start.NOT_TRIGGER : Start.GIVEN_UP;
    }
    if (inFlight >= maxInFlight) {
      return Start.SATURATED;
    }
    if (entry == null) {
      entry = new Entry();
      entries.put(conversationId, entry);
      trim();
    }
    entry.inFlight = true;
    inFlight++;
    return Start.FETCH;
  }

  /** The fetch {@link #begin} started has brought {@code summary} (encoded JSON). */
  public void fetched(String conversationId, byte[] summary, long fetchedAt) {
    Objects.requireNonNull(summary, "summary");
    inFlight = Math.max(0, inFlight - 1);
    Entry entry = entries.remove(conversationId);
    if (entry == null) {
      entry = new Entry();
    }
    entry.summary = summary;
    entry.fetchedAt = fetchedAt;
    entry.failures = 0;
    entry.inFlight = false;
    entries.put(conversationId, entry);
    trim();
  }

  /** The fetch {@link #begin} started failed; a summary fetched earlier, if any, stays. */
  public void failed(String conversationId) {
    inFlight = Math.max(0, inFlight - 1);
    Entry entry = entries.get(conversationId);
    if (entry == null) {
      entry = new Entry();
      entries.put(conversationId, entry);
      trim();
    }
    entry.failures++;
    entry.inFlight = false;
  }

  /** The conversation's summary as encoded JSON (do not modify), or null. */
  public byte[] summary(String conversationId) {
    Entry entry = entries.get(conversationId);
    return entry == null ? null : entry.summary;
  }

  /** Drops the entries of conversations {@code keep} refuses, except those with a fetch running. */
  public void retainAll(Predicate<String> keep) {
    entries.entrySet().removeIf(e -> !e.getValue().inFlight && !keep.test(e.getKey()));
  }

  public int size() {
    return entries.size();
  }

  /** Fetches running. */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Writes the summaries (not failures or fetches in flight), least recently fetched first, as a section after
   * whatever the shard wrote before: {@code MAGIC, count, (id, fetchedAt, bytes)*}.
   */
  public void writeTo(DataOutput out) throws IOException {
    List<Map.Entry<String, Entry>> kept = new ArrayList<>();
    for (Map.Entry<String, Entry> e : entries.entrySet()) {
      if (e.getValue().summary != null) {
        kept.add(e);
      }
    }
    out.writeInt(MAGIC);
    out.writeInt(kept.size());
    for (Map.Entry<String, Entry> e : kept) {
      byte[] id = e.getKey().getBytes(StandardCharsets.UTF_8);
      out.writeInt(id.length);
      out.write(id);
      out.writeLong(e.getValue().fetchedAt);
      out.writeInt(e.getValue().summary.length);
      out.write(e.getValue().summary);
    }
  }

  /**
   * Reads what {@link #writeTo} wrote into this empty cache. A snapshot that ends before the section (written before
   * enrichment existed, or with it off) leaves the cache empty; beyond {@code maxCached}, the oldest are skipped.
   *
   * @throws IOException when the section is damaged or not this one
   */
  public void readFrom(DataInput in) throws IOException {
    if (!entries.isEmpty()) {
      throw new IllegalStateException("restore into an empty cache only");
    }
    int magic;
    try {
      magic = in.readInt();
    } catch (EOFException none) {
      return;
    }
    if (magic != MAGIC) {
      throw new IOException("the snapshot's trailing section is not the enrichment cache");
    }
    int count = in.readInt();
    if (count < 0) {
      throw new IOException("enrichment section claims " + count + " summaries");
    }
    for (int i = 0; i < count; i++) {
      String id = new String(bytes(in, 1024), StandardCharsets.UTF_8);
      long fetchedAt = in.readLong();
      byte[] summary = bytes(in, MAX_SUMMARY_BYTES);
      if (count - i <= maxCached) {
        Entry entry = new Entry();
        entry.summary = summary;
        entry.fetchedAt = fetchedAt;
        entries.put(id, entry);
      }
    }
  }

  private static byte[] bytes(DataInput in, int max) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > max) {
      throw new IOException("enrichment section length " + length + " is out of range");
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private void trim() {
    Iterator<Entry> eldest = entries.values().iterator();
    while (entries.size() > maxCached && eldest.hasNext()) {
      eldest.next();
      eldest.remove();
    }
  }
}
