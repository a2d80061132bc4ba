package io.switchboard.bench.jmh;

import io.switchboard.reorder.LatenessBounds;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSettings;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.LifecycleDefinition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link ReorderBuffer#offer} per event, with the real {@link ConversationLifecycle} as each conversation's
 * next-step oracle and the default settings (2 s window). One invocation pushes a stream of 8,192 generated
 * events (about 1,400 interleaved conversations of the default mix) through a fresh buffer, calling
 * {@code advance} whenever a hold deadline is due as the stage's timer would, then releases what is still held;
 * the score is per event.
 *
 * <ul>
 *   <li>{@code inOrder}: the events in publication order. Nearly every one is the expected next step and leaves
 *       at once; abandoned calls' closing events wait out the window.</li>
 *   <li>{@code shuffled}: each arrival delayed by up to 1.5 s at random, so events of a conversation that were
 *       published within that of each other swap places and the buffer holds and re-sorts them.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class ReorderBenchmark {

  static final int EVENTS = 8192;
  private static final long SHUFFLE_MILLIS = 1_500;

  @Param({"inOrder", "shuffled"})
  public String order;

  private LifecycleDefinition lifecycle;
  private Arrival[] stream;

  /** Generates, normalises and (for {@code shuffled}) perturbs the stream; reports what the buffer made of it. */
  @Setup
  public void setUp() {
    lifecycle = Fixtures.lifecycle();
    List<Arrival> arrivals = Streams.arrivals(EVENTS);
    if (order.equals("shuffled")) {
      arrivals = Streams.shuffled(arrivals, SHUFFLE_MILLIS, Streams.SEED);
    }
    stream = arrivals.toArray(Arrival[]::new);
    CountingSink sink = run();
    if (sink.total() != EVENTS) {
      throw new IllegalStateException("buffer handed on " + sink.total() + " of " + EVENTS + " events");
    }
    System.out.printf("%n%s: %d events, %d late, %d released early%n", order, EVENTS, sink.late, sink.early);
  }

  /** The stream through a fresh buffer. */
  @Benchmark
  @OperationsPerInvocation(EVENTS)
  public CountingSink offer() {
    return run();
  }

  private CountingSink run() {
    CountingSink sink = new CountingSink();
    ReorderBuffer buffer = new ReorderBuffer(ReorderSettings.defaults(),
        LatenessBounds.fixed(ReorderSettings.DEFAULT_WINDOW_MILLIS), conversationId -> new ConversationLifecycle(lifecycle), sink);
    long now = 0;
    for (Arrival arrival : stream) {
      now = arrival.at();
      if (buffer.nextDeadline() <= now) {
        buffer.advance(now);
      }
      buffer.offer(arrival.event(), now);
    }
    buffer.advance(now + ReorderSettings.DEFAULT_WINDOW_MILLIS);
    return sink;
  }
}
