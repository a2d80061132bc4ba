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

  /** Replays are held for the default window. */
  public LatenessBounds(Function<String, LatenessBound> factory) {
    this(factory, LatenessBound.fixed(ReorderSettings.DEFAULT_WINDOW_MILLIS));
  }

  /** @param replay the bound for events replayed from a journal after a restart (see {@link #forReplay()}) */
  public LatenessBounds(Function<String, LatenessBound> factory, LatenessBound replay) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.replay = Objects.requireNonNull(replay, "replay");
  }

  /** Every source gets the same fixed bound. */
  public static LatenessBounds fixed(long millis) {
    LatenessBound bound = LatenessBound.fixed(millis);
    return new LatenessBounds(source -> bound, bound);
  }

  /** Every source learns its own bound with these settings; replays are held for the cap. */
  public static LatenessBounds learned(LearningSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return new LatenessBounds(source -> new LearnedLatenessBound(settings), LatenessBound.fixed(settings.maxMillis()));
  }

  /**
   * The bound for replayed events: the cap, whatever was learned. The journals of several ingest instances are
   * replayed side by side, so a conversation's events come back from them skewed by up to a replay step, and the
   * learned bound has not seen that disorder (ReplayCoordinator).
   */
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
