package io.switchboard.bench.jmh;

import io.switchboard.dedup.DedupWindow;
import io.switchboard.message.DedupVerdict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * {@link DedupWindow#checkAndRemember} against a full window of 1M or 10M remembered events (each with an id and
 * a fingerprint, as from EventBridge), the shard's steady state under load: every new event evicts the oldest.
 *
 * <ul>
 *   <li>{@code hit}: a duplicate, 3 in 4 by envelope id (a redelivery), 1 in 4 by content under a new id (a
 *       re-publication), drawn uniformly from the whole window. A duplicate remembers nothing, so the probes are
 *       built once and the window never changes: nothing is allocated per call.</li>
 *   <li>{@code miss}: a new event, remembered, and the oldest one evicted.</li>
 *   <li>{@code mixed}: half and half, the hits drawn from the newer half of the window so they stay in it.</li>
 *   <li>{@code keysOnly}: making the two key strings of a new event, which {@code miss} and {@code mixed} must do
 *       per call (no pool of fresh keys can be reused: a key stays remembered until a window's worth of newer
 *       events pushed it out). Subtract it from them, time and bytes, for the window's own cost.</li>
 * </ul>
 * The 10M window is 467 MB of arrays; the fork gets a 2 GB heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx2g")
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class DedupBenchmark {

  private static final long NOW = 1_741_770_000_000L;
  private static final int POOL = 1 << 16;

  @Param({"1000000", "10000000"})
  public int remembered;

  private final DedupKeyMaker keys = new DedupKeyMaker();
  private DedupWindow window;
  private long next;
  private long random = 0x2545F4914F6CDD1DL;
  private String[] hitIds;
  private String[] hitFingerprints;
  private int hitIndex;

  /** Fills the window to its bound and draws the duplicate probes. */
  @Setup
  public void fill() {
    window = new DedupWindow(DedupWindow.DEFAULT_TTL_MILLIS, remembered, remembered);
    for (long n = 0; n < remembered; n++) {
      window.checkAndRemember(keys.id(n), keys.fingerprint(n), NOW);
    }
    next = remembered;
    hitIds = new String[POOL];
    hitFingerprints = new String[POOL];
    for (int i = 0; i < POOL; i++) {
      long n = Math.floorMod(nextRandom(), (long) remembered);
      hitIds[i] = i % 4 == 3 ? keys.republishedId(n) : keys.id(n);
      hitFingerprints[i] = keys.fingerprint(n);
      if (!window.checkAndRemember(hitIds[i], hitFingerprints[i], NOW).isDuplicate()) {
        throw new IllegalStateException("probe " + i + " is not remembered");
      }
    }
  }

  /** A redelivered or re-published event: found, nothing remembered. */
  @Benchmark
  public DedupVerdict hit() {
    int i = hitIndex++ & (POOL - 1);
    return window.checkAndRemember(hitIds[i], hitFingerprints[i], NOW);
  }

  /** A new event: not found, remembered, the oldest evicted. */
  @Benchmark
  public DedupVerdict miss() {
    long n = next++;
    return window.checkAndRemember(keys.id(n), keys.fingerprint(n), NOW);
  }

  /** Half redeliveries of recent events, half new events. */
  @Benchmark
  public DedupVerdict mixed() {
    long r = nextRandom();
    long n = (r & 1) == 0 ? next++ : next - 1 - Math.floorMod(r >>> 1, (long) (remembered / 2));
    return window.checkAndRemember(keys.id(n), keys.fingerprint(n), NOW);
  }

  /** The key strings {@code miss} and {@code mixed} build per call, without the window. */
  @Benchmark
  public void keysOnly(Blackhole blackhole) {
    long n = next++;
    blackhole.consume(keys.id(n));
    blackhole.consume(keys.fingerprint(n));
  }

  /** xorshift64: cheap, and the same sequence every run. */
  private long nextRandom() {
    random ^= random << 13;
    random ^= random >>> 7;
    random ^= random << 17;
    return random;
  }
}
