package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

import java.util.Arrays;

/**
 * One tracked conversation: its oracle, what was released last, and the events waiting, sorted by eventTime
 * with ties in arrival order, each with its arrival time and hold deadline. The buffer is a plain array window
 * ({@code start}, {@code size}) because events mostly arrive in order: an insert scans back from the tail and
 * usually stops at once, a release takes the head. The arrays exist only while something is buffered.
 *
 * <p>For measuring how late an event is, it also remembers the two most recent entries of a monotonic stack of
 * released events (eventTime, arrival): an entry is dropped when a later-released event arrived no later, since
 * that one answers every question the dropped one could. So "the earliest arrival among released events later
 * than t" is exact while at most two such entries matter, and an upper bound (a delay measured too short)
 * beyond that.
 */
final class Conversation {

  static final long NOT_FINISHED = Long.MIN_VALUE;
  private static final int INITIAL_CAPACITY = 4;
  /** {@link #minDeadline} must be recomputed: the event holding it was released. */
  private static final long STALE = Long.MIN_VALUE;
  private static final long NONE = Long.MIN_VALUE;

  final String id;
  final NextStepOracle oracle;
  /** eventTime of the latest event released in order; anything earlier arriving now is late. */
  long lastReleasedTime = Long.MIN_VALUE;
  long lastOfferAt;
  long finishedAt = NOT_FINISHED;
  /** The deadline heap's key and position, owned by {@link DeadlineHeap}. */
  long due = Long.MAX_VALUE;
  int heapIndex = -1;
  /** Neighbours in the buffer's recency list, owned by {@link ReorderBuffer}. */
  Conversation older;
  Conversation newer;

  /** The released stack, older entry first; {@link #NONE} marks an empty entry. */
  private long releasedTimeOlder = NONE;
  private long releasedArrivalOlder;
  private long releasedTimeNewer = NONE;
  private long releasedArrivalNewer;

  private PipelineEvent[] events;
  private long[] arrivals;
  private long[] deadlines;
  private int start;
  private int size;
  private long minDeadline = Long.MAX_VALUE;

  Conversation(String id, NextStepOracle oracle) {
    this.id = id;
    this.oracle = oracle;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  PipelineEvent head() {
    return events[start];
  }

  long headArrival() {
    return arrivals[start];
  }

  PipelineEvent pollHead() {
    PipelineEvent head = events[start];
    long deadline = deadlines[start];
    events[start] = null;
    start++;
    size--;
    if (size == 0) {
      events = null;
      arrivals = null;
      deadlines = null;
      start = 0;
      minDeadline = Long.MAX_VALUE;
    } else if (deadline == minDeadline) {
      minDeadline = STALE;
    }
    return head;
  }

  /** Inserts after every buffered event with an eventTime at or before {@code event}'s. */
  void insert(PipelineEvent event, long arrival, long deadline, int maxEvents) {
    if (events == null) {
      int capacity = Math.min(INITIAL_CAPACITY, maxEvents);
      events = new PipelineEvent[capacity];
      arrivals = new long[capacity];
      deadlines = new long[capacity];
    } else if (start + size == events.length) {
      makeRoom(maxEvents);
    }
    int end = start + size;
    int at = end;
    long time = event.eventTime();
    while (at > start && events[at - 1].eventTime() > time) {
      at--;
    }
    System.arraycopy(events, at, events, at + 1, end - at);
    System.arraycopy(arrivals, at, arrivals, at + 1, end - at);
    System.arraycopy(deadlines, at, deadlines, at + 1, end - at);
    events[at] = event;
    arrivals[at] = arrival;
    deadlines[at] = deadline;
    size++;
    if (minDeadline != STALE && deadline < minDeadline) {
      minDeadline = deadline;
    }
  }

  /** The earliest arrival among buffered events with an eventTime after {@code eventTime}; MAX_VALUE if none. */
  long minBufferedArrivalAfter(long eventTime) {
    long min = Long.MAX_VALUE;
    for (int i = start + size - 1; i >= start && events[i].eventTime() > eventTime; i--) {
      min = Math.min(min, arrivals[i]);
    }
    return min;
  }

  /** Records a release for {@link #minReleasedArrivalAfter}; releases come in eventTime order. */
  void noteReleased(long eventTime, long arrival) {
    // Pop what the new entry dominates: an earlier or equal time that arrived no earlier.
    if (releasedTimeNewer != NONE && releasedArrivalNewer >= arrival) {
      releasedTimeNewer = releasedTimeOlder;
      releasedArrivalNewer = releasedArrivalOlder;
      releasedTimeOlder = NONE;
      if (releasedTimeNewer != NONE && releasedArrivalNewer >= arrival) {
        releasedTimeNewer = NONE;
      }
    }
    if (releasedTimeNewer == eventTime) {
      return; // same time, arrived earlier: it already answers for this one
    }
    if (releasedTimeNewer != NONE) {
      releasedTimeOlder = releasedTimeNewer;
      releasedArrivalOlder = releasedArrivalNewer;
    }
    releasedTimeNewer = eventTime;
    releasedArrivalNewer = arrival;
  }

  /** The earliest arrival among remembered released events with an eventTime after {@code eventTime}. */
  long minReleasedArrivalAfter(long eventTime) {
    if (releasedTimeOlder != NONE && releasedTimeOlder > eventTime) {
      return releasedArrivalOlder;
    }
    if (releasedTimeNewer != NONE && releasedTimeNewer > eventTime) {
      return releasedArrivalNewer;
    }
    return Long.MAX_VALUE;
  }

  /** The earliest hold deadline among the buffered events, {@code Long.MAX_VALUE} if none. */
  long minDeadline() {
    if (minDeadline == STALE) {
      long min = Long.MAX_VALUE;
      for (int i = start, end = start + size; i < end; i++) {
        min = Math.min(min, deadlines[i]);
      }
      minDeadline = min;
    }
    return minDeadline;
  }

  /**
   * How many events from the head must leave by {@code now}: up to and including the last one in eventTime
   * order whose deadline passed, since the events before it must precede it.
   */
  int dueCount(long now) {
    if (minDeadline() > now) {
      return 0;
    }
    for (int i = start + size - 1; ; i--) {
      if (deadlines[i] <= now) {
        return i - start + 1;
      }
    }
  }

  private void makeRoom(int maxEvents) {
    if (start > 0) {
      System.arraycopy(events, start, events, 0, size);
      System.arraycopy(arrivals, start, arrivals, 0, size);
      System.arraycopy(deadlines, start, deadlines, 0, size);
      Arrays.fill(events, size, start + size, null);
      start = 0;
    } else {
      int capacity = (int) Math.min(maxEvents, 2L * events.length);
      events = Arrays.copyOf(events, capacity);
      arrivals = Arrays.copyOf(arrivals, capacity);
      deadlines = Arrays.copyOf(deadlines, capacity);
    }
  }
}
