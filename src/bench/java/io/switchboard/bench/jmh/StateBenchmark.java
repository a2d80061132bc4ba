package io.switchboard.bench.jmh;

import io.switchboard.message.PipelineEvent;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
import io.vertx.core.buffer.Buffer;
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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The state stage: {@link ConversationStore#apply} with the shipped lifecycle and default settings.
 *
 * <ul>
 *   <li>{@code voiceConversation}: one op is a whole answered voice call, its ten events applied in order to a new
 *       conversation (customer.start … acw, ending {@code closed}); 2,048 distinct generated calls in turn.</li>
 *   <li>{@code event}: one op is one event of 8,192 generated ones of the default mix, in arrival order: about
 *       1,400 interleaved conversations, up to about 1,000 of them open at once, as in a busy shard.</li>
 *   <li>{@code eventAndSnapshot}: as {@code event}, plus the snapshot the stage encodes after every applied event
 *       for the targets ({@code Conversation.snapshot().toBuffer()}, in {@code StateVerticle}).</li>
 * </ul>
 * A store is replaced by an empty one when its input starts over, so every conversation starts from nothing; the
 * new conversations' allocation is part of the score, as it is in the stage.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class StateBenchmark {

  private static final int CONVERSATIONS = 2048;
  private static final int EVENTS = 8192;

  private LifecycleDefinition lifecycle;
  private PipelineEvent[][] calls;
  private PipelineEvent[] stream;
  private ConversationStore callStore;
  private ConversationStore streamStore;
  private int callIndex;
  private int streamIndex;
  private long now;

  /** Generates the inputs and checks that the lifecycle accepts every event of them. */
  @Setup
  public void setUp() {
    lifecycle = Fixtures.lifecycle();
    List<List<PipelineEvent>> voice = Streams.voiceConversations(CONVERSATIONS);
    calls = voice.stream().map(c -> c.toArray(PipelineEvent[]::new)).toArray(PipelineEvent[][]::new);
    stream = Streams.arrivals(EVENTS).stream().map(Arrival::event).toArray(PipelineEvent[]::new);
    ConversationStore check = newStore();
    for (PipelineEvent[] call : calls) {
      for (PipelineEvent event : call) {
        requireApplied(check.apply(event, 0), event);
      }
      if (!check.get(call[0].conversationId()).state().equals("closed")) {
        throw new IllegalStateException("voice call did not close: " + call[0].conversationId());
      }
    }
    check = newStore();
    for (PipelineEvent event : stream) {
      requireApplied(check.apply(event, 0), event);
    }
    callStore = newStore();
    streamStore = newStore();
  }

  /** Ten events, one voice call from start to close. */
  @Benchmark
  public ApplyResult voiceConversation() {
    if (callIndex == calls.length) {
      callIndex = 0;
      callStore = newStore();
    }
    ApplyResult result = null;
    for (PipelineEvent event : calls[callIndex++]) {
      result = callStore.apply(event, ++now);
    }
    return result;
  }

  /** One event of the interleaved stream. */
  @Benchmark
  public ApplyResult event() {
    return streamStore.apply(nextEvent(), ++now);
  }

  /** One event, then the snapshot bytes every target receives with it. */
  @Benchmark
  public Buffer eventAndSnapshot() {
    PipelineEvent event = nextEvent();
    streamStore.apply(event, ++now);
    return streamStore.get(event.conversationId()).snapshot().toBuffer();
  }

  private PipelineEvent nextEvent() {
    if (streamIndex == stream.length) {
      streamIndex = 0;
      streamStore = newStore();
    }
    return stream[streamIndex++];
  }

  private ConversationStore newStore() {
    return new ConversationStore(lifecycle, StateSettings.DEFAULTS);
  }

  private static void requireApplied(ApplyResult result, PipelineEvent event) {
    if (!result.applied()) {
      throw new IllegalStateException("lifecycle rejected " + event.eventType() + " of "
          + event.conversationId() + ": " + result.transition());
    }
  }
}
