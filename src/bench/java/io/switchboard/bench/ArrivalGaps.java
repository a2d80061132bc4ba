package io.switchboard.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How late an event reached the server: the time from the first arrival of any later event (greater eventTime) of
 * its conversation to its own arrival, which is what the server's lateness bound is about. The generator knows
 * each arrival only to within a request ({@link Arrivals}), so a gap comes as a range:
 * {@code low = earliest(e) - min latest(later)} and {@code high = latest(e) - min earliest(later)}.
 *
 * <p>A violation is <em>beyond the bound</em> only when even {@code low} exceeds it: the timestamps prove the event
 * came more than the bound after a later one. Everything else is within the bound, where the server owed eventTime
 * order; of those, the ones whose {@code high} exceeds the bound are <em>near</em> it, where the timestamps cannot
 * tell (a request's round trip is in the way).
 */
final class ArrivalGaps {

  private final Map<String, PlannedLoad.Event> events;
  private final Arrivals arrivals;
  private final Map<String, List<String>> byConversation = new HashMap<>();

  /**
   * @param events   every expected id, its conversation and eventTime
   * @param arrivals what the lanes recorded
   */
  ArrivalGaps(Map<String, PlannedLoad.Event> events, Arrivals arrivals) {
    this.events = Objects.requireNonNull(events, "events");
    this.arrivals = Objects.requireNonNull(arrivals, "arrivals");
    events.forEach((id, event) -> byConversation.computeIfAbsent(event.conversationId(), c -> new ArrayList<>())
        .add(id));
  }

  /**
   * The gap in ms, as {@code low <= true gap <= high}.
   *
   * @param low  {@link Long#MIN_VALUE} when no later event of the conversation was answered
   * @param high {@link Long#MAX_VALUE} when the event itself was never answered
   */
  record Gap(long low, long high) {

    /** Proven beyond: even the shortest possible gap exceeds the bound. */
    boolean beyond(long boundMillis) {
      return low > boundMillis;
    }
  }

  /** The gap of {@code id}; {@code null} when it is not an expected event, was never sent, or nothing later was. */
  Gap gap(String id) {
    PlannedLoad.Event event = events.get(id);
    long[] own = event == null ? null : arrivals.window(id);
    if (own == null) {
      return null;
    }
    long laterEarliest = Long.MAX_VALUE;
    long laterLatest = Long.MAX_VALUE;
    for (String other : byConversation.get(event.conversationId())) {
      long[] window = events.get(other).eventTime() > event.eventTime() ? arrivals.window(other) : null;
      if (window != null) {
        laterEarliest = Math.min(laterEarliest, window[0]);
        laterLatest = Math.min(laterLatest, window[1]);
      }
    }
    if (laterEarliest == Long.MAX_VALUE) {
      return null;
    }
    long low = laterLatest == Arrivals.UNANSWERED ? Long.MIN_VALUE : own[0] - laterLatest;
    long high = own[1] == Arrivals.UNANSWERED ? Long.MAX_VALUE : own[1] - laterEarliest;
    return new Gap(low, high);
  }
}
