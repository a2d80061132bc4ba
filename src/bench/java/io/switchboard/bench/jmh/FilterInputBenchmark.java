package io.switchboard.bench.jmh;

import io.switchboard.filter.FilterInput;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * {@link FilterInput#compose} alone (the splice of envelope, metadata and snapshot into the document Event Ruler
 * reads, and its decoding to a {@code String}), on the same events as {@link FilterBenchmark}, so that its share
 * of {@code composeAndMatch} can be told from the matching.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FilterInputBenchmark {

  private ProcessedEvent[] events;
  private int index;

  /** The same 1,024 processed events as the filter benchmark. */
  @Setup
  public void setUp() {
    events = Streams.processed(FilterBenchmark.EVENTS).toArray(ProcessedEvent[]::new);
  }

  /** The filter document of one event. */
  @Benchmark
  public String compose() {
    ProcessedEvent processed = events[index++ & (FilterBenchmark.EVENTS - 1)];
    PipelineEvent event = processed.event();
    return FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(), event.late());
  }
}
