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

  public LatenessBounds(Function<String, LatenessBound> factory) {
    this.factory = Objects.requireNonNull(factory, "factory");
  }

  /** Every source gets the same fixed bound. */
  public static LatenessBounds fixed(long millis) {
    LatenessBound bound = LatenessBound.fixed(millis);
    return new LatenessBounds(source -> bound);
  }

  /** Every source learns its own bound with these settings. */
  public static LatenessBounds learned(LearningSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return new LatenessBounds(source -> new LearnedLatenessBound(settings));
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
