package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Releases each conversation's events in {@code eventTime} order, holding each event for the lateness bound
 * {@code L} of its source, in arrival time, so that earlier events still on their way can overtake it.
 * Single-threaded: one instance belongs to one event-loop thread, and it calls its {@link ReorderSink}
 * synchronously from {@link #offer}, {@link #advance} and {@link #flushAll}.
 *
 * <h2>Rules, per conversation</h2>
 * <ul>
 *   <li>Buffered events are kept sorted by eventTime, ties in arrival order. Only the head (the earliest) may
 *       leave. An event's hold deadline is its arrival plus {@code L} (of its source, as in force at its
 *       arrival). When a deadline passes, that event leaves together with every event before it in eventTime
 *       order, since they must precede it.</li>
 *   <li>{@link ReleaseMode#ORDERED} (the default) releases on deadlines only. <b>So an event comes out of order
 *       only if it arrives more than {@code L} after a later event of its conversation arrived</b>, or after an
 *       early release (below). {@link ReleaseMode#LIFECYCLE} also releases the head as soon as the conversation's
 *       {@link NextStepOracle} calls it the expected next step: lower latency, best-effort order.</li>
 *   <li>An event with an eventTime before the latest released one is <em>late</em>: it goes to
 *       {@link ReorderSink#late} at once, marked late; the oracle hears of it only if the sink passed it on.</li>
 *   <li>Every out-of-order arrival (late or not) is reported to its source's {@link LatenessBound} with how long
 *       after the first-arrived later event of its conversation it came, and every arrival is counted there, so
 *       the bound can learn from the traffic.</li>
 *   <li>Bounds never drop events: a conversation over {@code maxEventsPerConversation} releases its earliest
 *       event early; a new conversation over {@code maxConversations} evicts the least recently offered
 *       conversation, releasing its events early, in order, first.</li>
 *   <li>A conversation with nothing buffered is remembered (last released time, oracle) until it has had no
 *       offer for {@code idleRetentionMillis}, or, once its oracle reports {@code isFinished()}, for
 *       {@link ReorderSettings#finishedRetentionMillis()} (stragglers of an ended conversation are still
 *       recognised as late meanwhile). After that an event for it starts afresh, with a new oracle.</li>
 * </ul>
 *
 * <h2>Time</h2>
 * {@code nowMillis} is arrival time only, never compared with eventTime, so it should come from a monotonic
 * clock; values going backwards are treated as the latest value seen. {@link #nextDeadline()} is the earliest
 * time at which {@link #advance} has work (hold deadlines, finished-conversation retention, idle expiry rounded
 * up to whole seconds so that idle forgetting batches); {@code advance(nextDeadline())} always makes progress.
 *
 * <h2>Cost</h2>
 * No call scans more than one conversation's buffer; due work is found through a heap of conversations keyed
 * by their earliest deadline, and idle conversations through a recency list. Memory, on a 64-bit JVM with
 * compressed references: <b>about 245 bytes per tracked conversation</b>, excluding its oracle — 128 for the
 * {@code Conversation} (header, 7 references, 9 longs, 3 ints, computed from its fields), 32 for its {@code HashMap} node and 5–11 for its table slot, 80 for a 36-char id
 * {@code String} (shared with the event that introduced it, not copied), 4 in the deadline heap while
 * scheduled. While it buffers events it also holds three arrays: 48 bytes of headers plus 20 bytes per slot
 * (event reference, arrival, deadline), slots doubling from 4 up to the bound and freed when the buffer empties.
 */
public final class ReorderBuffer {

  private static final long IDLE_GRANULARITY_MILLIS = 1_000;

  private final ReleaseMode release;
  private final long finishedRetentionMillis;
  private final int maxConversations;
  private final int maxEventsPerConversation;
  private final long idleRetentionMillis;
  private final LatenessBounds bounds;
  private final Function<String, NextStepOracle> oracleFactory;
  private final ReorderSink sink;

  private final Map<String, Conversation> conversations = new HashMap<>();
  private final DeadlineHeap deadlines = new DeadlineHeap();
  /** Recency list by last offer: the head is the first to evict and to expire. */
  private Conversation leastRecent;
  private Conversation mostRecent;
  private int bufferedEvents;
  private long clock = Long.MIN_VALUE;
  private boolean inCall;

  /**
   * @param bounds        the lateness bound of each source; may be shared with other buffers on the same thread
   * @param oracleFactory makes the oracle of a conversation, from its id, when the conversation is first seen
   *                      or seen again after being forgotten
   */
  public ReorderBuffer(ReorderSettings settings, LatenessBounds bounds, Function<String, NextStepOracle> oracleFactory,
                       ReorderSink sink) {
    Objects.requireNonNull(settings, "settings");
    this.release = settings.release();
    this.finishedRetentionMillis = settings.finishedRetentionMillis();
    this.maxConversations = settings.maxConversations();
    this.maxEventsPerConversation = settings.maxEventsPerConversation();
    this.idleRetentionMillis = settings.idleRetentionMillis();
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    this.oracleFactory = Objects.requireNonNull(oracleFactory, "oracleFactory");
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /** Takes an event in; it may leave at once, with others it unblocks, before this returns. */
  public void offer(PipelineEvent event, long nowMillis) {
    Objects.requireNonNull(event, "event");
    enter();
    try {
      long now = tick(nowMillis);
      Conversation conversation = track(event.conversationId(), now);
      try {
        accept(conversation, event, now);
      } finally {
        reschedule(conversation);
      }
    } finally {
      inCall = false;
    }
  }

  /** Releases what is due by {@code nowMillis} and forgets finished and idle conversations. */
  public void advance(long nowMillis) {
    enter();
    try {
      long now = tick(nowMillis);
      for (Conversation due; (due = deadlines.peek()) != null && due.due <= now; ) {
        boolean forgotten = false;
        try {
          drain(due, now);
          if (due.isEmpty() && due.finishedAt != Conversation.NOT_FINISHED && forgetAt(due) <= now) {
            forget(due, ReleaseCause.EVICTED, now);
            forgotten = true;
          }
        } finally {
          if (!forgotten) {
            reschedule(due);
          }
        }
      }
      while (leastRecent != null && idleExpiry(leastRecent) <= now) {
        forget(leastRecent, ReleaseCause.EVICTED, now);
      }
    } finally {
      inCall = false;
    }
  }

  /** When {@link #advance} next has work to do; {@code Long.MAX_VALUE} if nothing is tracked. */
  public long nextDeadline() {
    Conversation first = deadlines.peek();
    long next = first == null ? Long.MAX_VALUE : first.due;
    return leastRecent == null ? next : Math.min(next, idleExpiry(leastRecent));
  }

  /**
   * Releases every buffered event, each conversation in order, as {@link ReleaseCause#FLUSH}; for shutdown. Conversations
   * stay remembered.
   */
  public void flushAll() {
    enter();
    try {
      for (Conversation conversation = leastRecent; conversation != null; conversation = conversation.newer) {
        try {
          releaseAll(conversation, ReleaseCause.FLUSH, clock);
        } finally {
          reschedule(conversation);
        }
      }
    } finally {
      inCall = false;
    }
  }

  /** Events held, across all conversations. */
  public int bufferedEvents() {
    return bufferedEvents;
  }

  /** Conversations remembered, with or without buffered events. */
  public int conversations() {
    return conversations.size();
  }

  private void accept(Conversation conversation, PipelineEvent event, long now) {
    LatenessBound bound = event.replayed() ? bounds.forReplay() : bounds.of(event.source());
    bound.arrived(now);
    long time = event.eventTime();
    if (time < conversation.lastReleasedTime) {
      long firstLaterArrival = Math.min(conversation.minReleasedArrivalAfter(time),
          conversation.minBufferedArrivalAfter(time));
      long delay = now - firstLaterArrival;
      bound.disordered(delay, now);
      PipelineEvent late = event.asLate();
      if (sink.late(late, delay)) {
        conversation.oracle.onReleased(late);
        noteFinished(conversation, now);
      }
      return;
    }
    long firstLaterArrival = conversation.minBufferedArrivalAfter(time);
    if (firstLaterArrival != Long.MAX_VALUE) {
      bound.disordered(now - firstLaterArrival, now);
    }
    if (release == ReleaseMode.LIFECYCLE && conversation.isEmpty() && conversation.oracle.isExpectedNext(event)) {
      release(conversation, event, now, ReleaseCause.LIFECYCLE, now);
      return;
    }
    if (conversation.size() == maxEventsPerConversation) {
      if (time < conversation.head().eventTime()) {
        // It would head an over-full buffer, so it is the one to leave now.
        release(conversation, event, now, ReleaseCause.OVERFLOW, now);
        drain(conversation, now);
        return;
      }
      releaseHead(conversation, ReleaseCause.OVERFLOW, now);
    }
    conversation.insert(event, now, now + bound.millis(now), maxEventsPerConversation);
    bufferedEvents++;
    drain(conversation, now);
  }

  /** Releases from the head what is overdue, then (lifecycle mode) whatever the oracle accepts. */
  private void drain(Conversation conversation, long now) {
    int overdue = conversation.dueCount(now);
    while (!conversation.isEmpty()) {
      if (overdue > 0) {
        overdue--;
        releaseHead(conversation, ReleaseCause.BOUND, now);
      } else if (release == ReleaseMode.LIFECYCLE && conversation.oracle.isExpectedNext(conversation.head())) {
        releaseHead(conversation, ReleaseCause.LIFECYCLE, now);
      } else {
        return;
      }
    }
  }

  private void releaseHead(Conversation conversation, ReleaseCause cause, long now) {
    long arrival = conversation.headArrival();
    bufferedEvents--;
    release(conversation, conversation.pollHead(), arrival, cause, now);
  }

  /** State first, then the sink, then the oracle: if the sink throws, the event counts as handed over. */
  private void release(Conversation conversation, PipelineEvent event, long arrival, ReleaseCause cause, long now) {
    conversation.lastReleasedTime = Math.max(conversation.lastReleasedTime, event.eventTime());
    conversation.noteReleased(event.eventTime(), arrival);
    sink.release(event, cause, now - arrival);
    conversation.oracle.onReleased(event);
    noteFinished(conversation, now);
  }

  private void releaseAll(Conversation conversation, ReleaseCause cause, long now) {
    while (!conversation.isEmpty()) {
      releaseHead(conversation, cause, now);
    }
  }

  private void noteFinished(Conversation conversation, long now) {
    if (conversation.finishedAt == Conversation.NOT_FINISHED && conversation.oracle.isFinished()) {
      conversation.finishedAt = now;
    }
  }

  private void reschedule(Conversation conversation) {
    long due;
    if (!conversation.isEmpty()) {
      due = conversation.minDeadline();
    } else if (conversation.finishedAt != Conversation.NOT_FINISHED) {
      due = forgetAt(conversation);
    } else {
      due = Long.MAX_VALUE;
    }
    deadlines.schedule(conversation, due);
  }

  private long forgetAt(Conversation conversation) {
    return Math.max(conversation.finishedAt, conversation.lastOfferAt) + finishedRetentionMillis;
  }

  private long idleExpiry(Conversation conversation) {
    long expiry = conversation.lastOfferAt + idleRetentionMillis;
    return Math.floorDiv(expiry + IDLE_GRANULARITY_MILLIS - 1, IDLE_GRANULARITY_MILLIS)
        * IDLE_GRANULARITY_MILLIS;
  }

  /** Finds or starts the conversation and marks it most recently offered. */
  private Conversation track(String id, long now) {
    Conversation conversation = conversations.get(id);
    if (conversation == null) {
      if (conversations.size() >= maxConversations) {
        forget(leastRecent, ReleaseCause.EVICTED, now);
      }
      NextStepOracle oracle = Objects.requireNonNull(oracleFactory.apply(id), "oracleFactory returned null");
      conversation = new Conversation(id, oracle);
      conversations.put(id, conversation);
      append(conversation);
    } else if (conversation != mostRecent) {
      unlink(conversation);
      append(conversation);
    }
    conversation.lastOfferAt = now;
    return conversation;
  }

  /**
   * Releases anything still buffered (early) and drops the conversation. The release comes first so that a
   * throwing sink leaves the conversation tracked with its remaining events rather than losing them.
   */
  private void forget(Conversation conversation, ReleaseCause cause, long now) {
    releaseAll(conversation, cause, now);
    conversations.remove(conversation.id);
    unlink(conversation);
    deadlines.remove(conversation);
  }

  private void append(Conversation conversation) {
    conversation.older = mostRecent;
    conversation.newer = null;
    if (mostRecent == null) {
      leastRecent = conversation;
    } else {
      mostRecent.newer = conversation;
    }
    mostRecent = conversation;
  }

  private void unlink(Conversation conversation) {
    if (conversation.older == null) {
      leastRecent = conversation.newer;
    } else {
      conversation.older.newer = conversation.newer;
    }
    if (conversation.newer == null) {
      mostRecent = conversation.older;
    } else {
      conversation.newer.older = conversation.older;
    }
    conversation.older = null;
    conversation.newer = null;
  }

  private long tick(long nowMillis) {
    clock = Math.max(clock, nowMillis);
    return clock;
  }

  private void enter() {
    if (inCall) {
      throw new IllegalStateException("ReorderBuffer re-entered from its sink or oracle");
    }
    inCall = true;
  }
}
