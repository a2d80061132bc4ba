package io.switchboard.dispatch.queue;

/**
 * An optional per-target rate limit: {@code permits} per {@code periodMillis} on average, with bursts of up
 * to {@code burst} after a quiet spell. The bucket starts full.
 *
 * <p>Exact integer arithmetic: one token is {@code periodMillis} units and every elapsed millisecond adds
 * {@code permits} units, so fractional rates (1 per 2 s) work and no floating-point drift builds up over a
 * long-running process. Time is passed in; a clock that steps backwards refills nothing. Not thread-safe: one
 * event loop owns it.
 */
public final class TokenBucket {

  private final long permits;
  private final long capacityUnits;
  private final long unitsPerToken;
  private long units;
  private long lastRefill = Long.MIN_VALUE;

  /**
   * @param permits      tokens added per period
   * @param periodMillis length of the period
   * @param burst        most tokens that can accumulate, hence the largest burst and the largest acquisition
   */
  public TokenBucket(long permits, long periodMillis, long burst) {
    if (permits < 1 || periodMillis < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "permits, periodMillis and burst must be at least 1, got " + permits + ", " + periodMillis + ", " + burst);
    }
    if (burst > Long.MAX_VALUE / periodMillis) {
      throw new IllegalArgumentException("burst x periodMillis overflows: " + burst + " x " + periodMillis);
    }
    this.permits = permits;
    this.unitsPerToken = periodMillis;
    this.capacityUnits = burst * periodMillis;
    this.units = capacityUnits;
  }

  /** {@code eventsPerSecond} on average, bursts of up to {@code burst}. */
  public static TokenBucket perSecond(long eventsPerSecond, long burst) {
    return new TokenBucket(eventsPerSecond, 1000, burst);
  }

  /** Takes one token: 0 if taken, else the milliseconds until one will be there (nothing taken). */
  public long tryAcquire(long nowMillis) {
    return tryAcquire(nowMillis, 1);
  }

  /**
   * Takes {@code count} tokens at once, for a batch: 0 if taken, else the milliseconds until that many will
   * be there (nothing taken, so a waiting batch is not starved by single acquisitions it cannot see).
   *
   * @throws IllegalArgumentException if {@code count} is below 1 or above the burst, which could never succeed
   */
  public long tryAcquire(long nowMillis, long count) {
    if (count < 1 || count > capacityUnits / unitsPerToken) {
      throw new IllegalArgumentException("count must be in 1.." + capacityUnits / unitsPerToken + ", got " + count);
    }
    refill(nowMillis);
    long needed = count * unitsPerToken;
    if (units >= needed) {
      units -= needed;
      return 0;
    }
    return ceilDiv(needed - units, permits);
  }

  /** Whole tokens available now, to size a batch before {@link #tryAcquire(long, long)}; takes none. */
  public long available(long nowMillis) {
    refill(nowMillis);
    return units / unitsPerToken;
  }

  private void refill(long nowMillis) {
    if (lastRefill == Long.MIN_VALUE || nowMillis <= lastRefill) {
      lastRefill = Math.max(lastRefill, nowMillis);
      return;
    }
    long elapsed = nowMillis - lastRefill;
    lastRefill = nowMillis;
    // Compare in elapsed time first, so that a long idle spell cannot overflow elapsed x permits.
    long untilFull = ceilDiv(capacityUnits - units, permits);
    units = elapsed >= untilFull ? capacityUnits : units + elapsed * permits;
  }

  /** Math.ceilDiv arrived in Java 18; this form cannot overflow for a non-negative dividend. */
  private static long ceilDiv(long dividend, long divisor) {
    return -Math.floorDiv(-dividend, divisor);
  }
}
