package io.switchboard.genesys;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * The windows of one analytics poller, from its checkpoint on: which window is due next, which are being queried,
 * and how far a checkpoint may move. Window k is [start, start + interval]; the next one starts {@code overlap}
 * before it ends, and a window is due once its end is {@code lag} behind now. Windows are deterministic from the
 * checkpoint, so a restart asks for the same windows again.
 *
 * <p>A window is <em>admitted</em> once every page's events went through admission, and <em>settled</em> once every
 * event it admitted has settled downstream (delivered, dead-lettered or parked). The checkpoint is per window, not
 * per page: a results cursor does not survive the job it belongs to, and a page is no point in time, so the only
 * restartable position is a window's start. It moves to the start of the window after the newest one that is settled
 * with every window before it. Single-threaded; the clock is passed in.
 */
public final class PollWindows {

  /** Where a window is in its life. */
  public enum Phase { PLANNED, QUERYING, ADMITTED }

  /** One window and the sequence numbers of the events it admitted that may not have settled yet. */
  public static final class Window {
    private final long start;
    private final long end;
    private Phase phase = Phase.PLANNED;
    private long retryAt;
    private int attempts;
    private final ArrayDeque<Long> unsettled = new ArrayDeque<>();

    Window(long start, long end) {
      this.start = start;
      this.end = end;
    }

    public long start() {
      return start;
    }

    public long end() {
      return end;
    }

    public Phase phase() {
      return phase;
    }

    public int attempts() {
      return attempts;
    }

    /** An event of this window was admitted under {@code seq}. */
    public void admitted(long seq) {
      unsettled.addLast(seq);
    }

    boolean settled(LongPredicate isSettled) {
      while (!unsettled.isEmpty() && isSettled.test(unsettled.peekFirst())) {
        unsettled.pollFirst();
      }
      if (unsettled.isEmpty()) {
        return true;
      }
      // Out of order settlements: look at every one before saying no.
      unsettled.removeIf(isSettled::test);
      return unsettled.isEmpty();
    }

    @Override
    public String toString() {
      return java.time.Instant.ofEpochMilli(start) + "/" + java.time.Instant.ofEpochMilli(end);
    }
  }

  private final long intervalMs;
  private final long overlapMs;
  private final long lagMs;
  private final List<Window> windows = new ArrayList<>();
  private long checkpoint;
  private long nextStart;

  /** @param checkpoint where the first window starts: the checkpoint read at start, or the configured startAt */
  public PollWindows(long checkpoint, long intervalMs, long overlapMs, long lagMs) {
    if (overlapMs >= intervalMs || overlapMs < 0 || lagMs < 0) {
      throw new IllegalArgumentException("need 0 <= overlap < interval and lag >= 0");
    }
    this.intervalMs = intervalMs;
    this.overlapMs = overlapMs;
    this.lagMs = lagMs;
    this.checkpoint = checkpoint;
    this.nextStart = checkpoint;
  }

  /** When the next new window becomes due (epoch ms). */
  public long nextDueAt() {
    return nextStart + intervalMs + lagMs;
  }

  /**
   * The next window to query now, or null: a planned one whose retry time has come, else a new one if due, as long
   * as fewer than {@code maxQuerying} are being queried.
   */
  public Window take(long now, int maxQuerying) {
    if (querying() >= maxQuerying) {
      return null;
    }
    for (Window w : windows) {
      if (w.phase == Phase.PLANNED && w.retryAt <= now) {
        return begin(w);
      }
    }
    if (now < nextDueAt()) {
      return null;
    }
    Window w = new Window(nextStart, nextStart + intervalMs);
    nextStart = w.end - overlapMs;
    windows.add(w);
    return begin(w);
  }

  private Window begin(Window w) {
    w.phase = Phase.QUERYING;
    w.attempts++;
    return w;
  }

  /** The oldest window still being queried: the one whose pages go in next, so pages are admitted in window order. */
  public Window head() {
    for (Window w : windows) {
      if (w.phase != Phase.ADMITTED) {
        return w.phase == Phase.QUERYING ? w : null;
      }
    }
    return null;
  }

  /** Every page of {@code w} went through admission. */
  public void admitted(Window w) {
    w.phase = Phase.ADMITTED;
  }

  /** Querying {@code w} failed; it is asked again from its first page at {@code retryAt}. */
  public void failed(Window w, long retryAt) {
    w.phase = Phase.PLANNED;
    w.retryAt = retryAt;
  }

  /**
   * Where the checkpoint may move now: the start of the window after the newest one that, with every one before
   * it, is admitted and settled; or the current checkpoint if none is.
   */
  public long checkpointable(LongPredicate isSettled) {
    long position = checkpoint;
    for (Window w : windows) {
      if (w.phase != Phase.ADMITTED || !w.settled(isSettled)) {
        break;
      }
      position = w.end - overlapMs;
    }
    return position;
  }

  /**
   * Whether every window that ends by {@code t} has been taken and admitted. A restarted poller asks this of its start
   * time (less the lag): whatever it admitted before a crash was due by then, so it has been admitted again.
   */
  public boolean admittedThrough(long t) {
    if (nextStart + intervalMs <= t) {
      return false;
    }
    for (Window w : windows) {
      if (w.end <= t && w.phase != Phase.ADMITTED) {
        return false;
      }
    }
    return true;
  }

  /** The checkpoint at {@code position} is durable: the windows before it are forgotten. */
  public void checkpointed(long position) {
    checkpoint = Math.max(checkpoint, position);
    windows.removeIf(w -> w.phase == Phase.ADMITTED && w.end - overlapMs <= checkpoint);
  }

  public long checkpoint() {
    return checkpoint;
  }

  /** The end of the window whose successor starts at the checkpoint: how far everything is settled and durable. */
  public long completedThrough() {
    return checkpoint + overlapMs;
  }

  public int querying() {
    int n = 0;
    for (Window w : windows) {
      n += w.phase == Phase.QUERYING ? 1 : 0;
    }
    return n;
  }

  /** Windows taken and not yet checkpointed. */
  public int open() {
    return windows.size();
  }
}
