package io.switchboard.kafka;

import io.switchboard.message.Replay;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * What one assigned partition has handed to admission and how far it may be committed. Records are taken in
 * offset order; each becomes an {@link Entry} that is done once every item of it has a final admission result and
 * every admitted event of it has settled. The <em>committable</em> offset is the offset of the first record not
 * done (or the next offset to read when all are): committing it never acknowledges an event still on its way.
 *
 * <p>It also says what a record is after a restart or a rebalance ({@link #purposeOf}): below the settled position
 * the previous owner noted in the commit's metadata it is replayed only to rebuild state; from there up to the
 * partition's end offset at assignment it is a replay to deliver (dedup lets a copy of an event its snapshot
 * remembers through once, since it may not have reached the targets before the crash); beyond that it is new.
 * Single-threaded: owned by the source's event loop.
 */
public final class PartitionLedger {

  private final String topic;
  private final int partition;
  private final long restoreBefore;
  private final long deliverBefore;
  private final ArrayDeque<Entry> open = new ArrayDeque<>();
  private long nextOffset;
  /** The offset the last checkpoint committed (the snapshots cover everything before it). */
  private long checkpointed;

  /**
   * @param start         the offset consumption starts at (the committed offset, or where the reset policy put it)
   * @param settledBefore the previous owner's noted settled position, or {@code start} when none was noted
   * @param endAtAssign   the partition's end offset when it was assigned
   */
  public PartitionLedger(String topic, int partition, long start, long settledBefore, long endAtAssign) {
    this.topic = topic;
    this.partition = partition;
    this.nextOffset = start;
    this.checkpointed = start;
    this.restoreBefore = Math.max(start, settledBefore);
    this.deliverBefore = Math.max(restoreBefore, endAtAssign);
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  /** How a record at {@code offset} enters the pipeline. */
  public Replay purposeOf(long offset) {
    if (offset < restoreBefore) {
      return Replay.RESTORE_ONLY;
    }
    return offset < deliverBefore ? Replay.DELIVER : Replay.NONE;
  }

  /** Takes the record at {@code offset} (offsets only grow; gaps are compaction or transaction markers). */
  public Entry take(long offset) {
    if (offset < nextOffset) {
      throw new IllegalArgumentException(topic + "/" + partition + ": offset " + offset + " after " + (nextOffset - 1));
    }
    Entry entry = new Entry(offset);
    open.addLast(entry);
    nextOffset = offset + 1;
    return entry;
  }

  /** Forgets the records that are done, from the oldest; returns the committable offset. */
  public long committable(LongPredicate settled) {
    while (!open.isEmpty() && open.peekFirst().done(settled)) {
      open.pollFirst();
    }
    return open.isEmpty() ? nextOffset : open.peekFirst().offset;
  }

  /** Records taken and not yet known to be done (call {@link #committable} first to forget the done ones). */
  public int open() {
    return open.size();
  }

  /** Whether consumption has passed every record that may have been left undelivered by a crash. */
  public boolean caughtUp() {
    return nextOffset >= deliverBefore;
  }

  /** The offset after the last record taken. */
  public long nextOffset() {
    return nextOffset;
  }

  public long checkpointed() {
    return checkpointed;
  }

  /** A checkpoint committed {@code offset}: the snapshots now cover the records before it. */
  public void checkpointedAt(long offset) {
    checkpointed = Math.max(checkpointed, offset);
  }

  /** The partition is gone (revoked or lost): retries of its records stop. */
  public void cancel() {
    open.forEach(Entry::cancel);
    open.clear();
  }

  /**
   * One record on its way: how many admission results it still awaits, and the sequence numbers of its admitted
   * events. An item that must be tried again (admission answered retry) keeps it open until a new attempt of the
   * record gets final results.
   */
  public static final class Entry {

    private static final long[] NONE = new long[0];

    private final long offset;
    private long[] seqs = NONE;
    private int seqCount;
    private int awaiting;
    private boolean retry;
    private boolean cancelled;

    Entry(long offset) {
      this.offset = offset;
    }

    public long offset() {
      return offset;
    }

    /** A new attempt of the record is under way with {@code results} items. */
    public void attempt(int results) {
      awaiting = results;
      retry = false;
    }

    /**
     * One item's final result: {@code seq} is the admitted event's sequence number (0 when it settled at admission).
     * Returns whether that was the attempt's last result.
     */
    public boolean resulted(long seq) {
      if (seq > 0) {
        if (seqCount == seqs.length) {
          seqs = Arrays.copyOf(seqs, Math.max(2, seqs.length * 2));
        }
        seqs[seqCount++] = seq;
      }
      return --awaiting == 0;
    }

    /** One item must be admitted again; returns whether that was the attempt's last result. */
    public boolean mustRetry() {
      retry = true;
      return --awaiting == 0;
    }

    /** Whether the attempt that just ended needs another. */
    public boolean retrying() {
      return retry;
    }

    public boolean cancelled() {
      return cancelled;
    }

    void cancel() {
      cancelled = true;
    }

    boolean done(LongPredicate settled) {
      if (awaiting > 0 || retry) {
        return false;
      }
      for (int i = 0; i < seqCount; i++) {
        if (!settled.test(seqs[i])) {
          return false;
        }
      }
      return true;
    }
  }
}
