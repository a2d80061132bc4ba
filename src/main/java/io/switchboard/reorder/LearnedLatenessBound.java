package io.switchboard.reorder;

import java.util.Objects;

/**
 * A lateness bound learned from the traffic, the way TCP learns its retransmission timeout from round trips:
 * {@code L = clamp(safetyFactor × q-quantile of the out-of-order delays seen within the horizon, min, max)}.
 *
 * <ul>
 *   <li>Each out-of-order arrival is a sample: how long after the first-arrived later event of its conversation
 *       it came. In-order arrivals only count towards {@code learnAfterEvents}.</li>
 *   <li>The horizon is a ring of {@value #SLICES} time slices; a slice older than the horizon is dropped whole, so
 *       a burst of disorder stops counting at most one horizon later and the bound comes back down.</li>
 *   <li>No disorder within the horizon means the bound is the floor: in-order traffic is held only that long.</li>
 *   <li>A fresh source does not trust a handful of samples: the bound is at least a prior that starts at
 *       {@code initialMillis} and halves with every {@code learnAfterEvents} arrivals, so it comes down to the
 *       learned value gradually, as evidence accumulates, rather than dropping to the floor at once.</li>
 * </ul>
 * Cost: O(1) per arrival; a sample or a slice change marks the bound for recomputation, which merges the slices'
 * histograms (~1,200 adds) the next time the bound is read. Memory ~7 KB. Not thread-safe.
 */
public final class LearnedLatenessBound implements LatenessBound {

  static final int SLICES = 6;

  private final LearningSettings settings;
  private final long sliceMillis;
  private final DelayHistogram[] slices = new DelayHistogram[SLICES];
  private final DelayHistogram merged = new DelayHistogram();
  /** Start of the newest slice; slice {@code k} back started {@code k × sliceMillis} earlier. */
  private long newestStart = Long.MIN_VALUE;
  private int newest;
  private long arrivals;
  /** initialMillis halved per learnAfterEvents arrivals; 0 once gone (or with no learning period at all). */
  private long prior;
  private long bound;
  private boolean stale = true;

  public LearnedLatenessBound(LearningSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sliceMillis = settings.horizonMillis() / SLICES;
    for (int i = 0; i < SLICES; i++) {
      slices[i] = new DelayHistogram();
    }
    this.prior = settings.learnAfterEvents() == 0 ? 0 : settings.initialMillis();
    this.bound = settings.initialMillis();
  }

  @Override
  public long millis(long nowMillis) {
    rotate(nowMillis);
    if (stale) {
      bound = compute();
      stale = false;
    }
    return bound;
  }

  @Override
  public void arrived(long nowMillis) {
    arrivals++;
    if (prior > 0 && arrivals % settings.learnAfterEvents() == 0) {
      prior = settings.initialMillis() >> Math.min(63, arrivals / settings.learnAfterEvents());
      stale = true;
    }
  }

  @Override
  public void disordered(long delayMillis, long nowMillis) {
    rotate(nowMillis);
    slices[newest].add(delayMillis);
    stale = true;
  }

  /** Out-of-order delays within the horizon. */
  public long samples(long nowMillis) {
    rotate(nowMillis);
    long n = 0;
    for (DelayHistogram slice : slices) {
      n += slice.total();
    }
    return n;
  }

  private long compute() {
    merged.clear();
    for (DelayHistogram slice : slices) {
      merged.addAll(slice);
    }
    long q = merged.quantile(settings.quantile());
    long learned = q < 0 ? 0 : (long) Math.ceil(q * settings.safetyFactor());
    return Math.max(settings.minMillis(), Math.min(settings.maxMillis(), Math.max(learned, prior)));
  }

  /** Moves the newest slice forward to the one containing {@code now}, clearing the slices it passes. */
  private void rotate(long nowMillis) {
    if (newestStart == Long.MIN_VALUE) {
      newestStart = nowMillis;
      return;
    }
    if (nowMillis < newestStart + sliceMillis) {
      return;
    }
    long steps = (nowMillis - newestStart) / sliceMillis;
    for (long i = 0; i < Math.min(steps, SLICES); i++) {
      newest = (newest + 1) % SLICES;
      slices[newest].clear();
    }
    newestStart += steps * sliceMillis;
    stale = true;
  }
}
