package io.switchboard.reorder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One {@link LatenessBound} per source ({@code http}, {@code kafka}, ...), made on the source's first event:
 * each source's disorder is its own. One instance is shared by the reorder buffers of one verticle instance, on
 * its thread, so their shards learn together. Not thread-safe.
 */
public final class LatenessBounds {

  private final Function<String, LatenessBound> factory;
  private final Map<String, LatenessBound> bySource = new LinkedHashMap<>();
  private final LatenessBound replay;

  /** Replays are held for {@link #REPLAY_HOLD_MILLIS}. */
  public LatenessBounds(Function<String, LatenessBound> factory) {
    this(factory, LatenessBound.fixed(REPLAY_HOLD_MILLIS));
  }

  /** @param replay the bound for events replayed from a journal after a restart (see {@link #forReplay()}) */
  public LatenessBounds(Function<String, LatenessBound> factory, LatenessBound replay) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.replay = Objects.requireNonNull(replay, "replay");
  }

  /**
   * How long replayed events are held (at most the cap). The journals of several ingest instances are replayed in
   * steps of 100 ms of arrival time (ReplayCoordinator), so a conversation's events come back from them skewed by
   * about a step; and a replay runs far faster than the traffic arrived, so this hold covers seconds of the
   * original disorder. Short, because a replay's pace is the in-flight bound divided by the hold.
   */
  public static final long REPLAY_HOLD_MILLIS = 500;

  /** Every source gets the same fixed bound. */
  public static LatenessBounds fixed(long millis) {
    LatenessBound bound = LatenessBound.fixed(millis);
    return new LatenessBounds(source -> bound, LatenessBound.fixed(Math.min(millis, REPLAY_HOLD_MILLIS)));
  }

  /** Every source learns its own bound with these settings. */
  public static LatenessBounds learned(LearningSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return new LatenessBounds(source -> new LearnedLatenessBound(settings),
        LatenessBound.fixed(Math.min(settings.maxMillis(), REPLAY_HOLD_MILLIS)));
  }

  /** The bound for replayed events, whatever was learned: {@link #REPLAY_HOLD_MILLIS}, or the cap when smaller. */
  public LatenessBound forReplay() {
    return replay;
  }

  public LatenessBound of(String source) {
    return bySource.computeIfAbsent(source, factory);
  }

  /** The bound of each source seen so far, in first-seen order. */
  public Map<String, Long> millis(long nowMillis) {
    Map<String, Long> out = new LinkedHashMap<>();
    bySource.forEach((source, bound) -> out.put(source, bound.millis(nowMillis)));
    return out;
  }
}
