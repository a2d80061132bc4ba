package io.switchboard.bench.jmh;

import io.switchboard.filter.EventFilter;
import io.switchboard.filter.FilterInput;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
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

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A target's filter decision per event, as the dispatcher makes it: {@link FilterInput#compose} (envelope bytes
 * plus {@code switchboard} and {@code conversation} snapshot) then {@link EventFilter#match}, with 1, 10 or 100
 * named patterns from {@link FilterPatterns}. The events are 1,024 generated ones of the default mix with their
 * real snapshots, in turn; the setup prints how many of them the filter selects.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class FilterBenchmark {

  static final int EVENTS = 1024;

  @Param({"1", "10", "100"})
  public int patterns;

  private ProcessedEvent[] events;
  private EventFilter filter;
  private int index;

  /** Builds the events and the filter, as a dispatcher builds it from its target config. */
  @Setup
  public void setUp() {
    List<ProcessedEvent> processed = Streams.processed(EVENTS);
    events = processed.toArray(ProcessedEvent[]::new);
    filter = EventFilter.from(new FilterPatterns(processed).filter(patterns), "targets[0].filter");
    int selected = 0;
    for (ProcessedEvent event : events) {
      selected += match(event).isPresent() ? 1 : 0;
    }
    System.out.printf("%n%d patterns select %d of %d events%n", patterns, selected, EVENTS);
  }

  /** Compose the filter document and match it. */
  @Benchmark
  public Optional<String> composeAndMatch() {
    return match(events[index++ & (EVENTS - 1)]);
  }

  private Optional<String> match(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    return filter.match(FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(), event.late()));
  }
}
