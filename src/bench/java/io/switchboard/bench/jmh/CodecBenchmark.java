package io.switchboard.bench.jmh;

import io.switchboard.codecs.PipelineEventCodec;
import io.switchboard.codecs.ProcessedEventCodec;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
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
 * The event-bus wire form, used only between clustered nodes (local delivery hands over the same record):
 * {@code encodeToWire} then {@code decodeFromWire} of the voice sample's acd.end event, alone and as a
 * {@link ProcessedEvent} with the snapshot its conversation has after it. Decoding re-parses the payload to
 * re-derive the eventBody, so {@code pipelineEventEncode} is there to tell the two halves apart.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class CodecBenchmark {

  private static final List<String> VOICE_TO_ACD_END = List.of("eb-voice-01-customer-start.json",
      "eb-voice-02-flow-start.json", "eb-voice-03-flow-end.json", "eb-voice-04-acd-start.json",
      Fixtures.ACD_END_SAMPLE);

  private final PipelineEventCodec pipelineCodec = new PipelineEventCodec();
  private final ProcessedEventCodec processedCodec = new ProcessedEventCodec();
  private PipelineEvent event;
  private ProcessedEvent processed;

  /** Normalises the voice sample up to acd.end and applies it, for the event and its snapshot. */
  @Setup
  public void setUp() {
    EventNormalizer normalizer = Fixtures.normalizer();
    ConversationStore store = new ConversationStore(Fixtures.lifecycle(), StateSettings.DEFAULTS);
    ApplyResult result = null;
    long seq = 0;
    for (String sample : VOICE_TO_ACD_END) {
      event = Fixtures.normalize(normalizer, Fixtures.sample(sample), ++seq);
      result = store.apply(event, seq);
    }
    processed = new ProcessedEvent(event, result.state(), result.stage(),
        store.get(event.conversationId()).snapshot().toBuffer(), seq);
  }

  /** A pipeline event to bytes and back. */
  @Benchmark
  public PipelineEvent pipelineEventRoundTrip() {
    Buffer wire = Buffer.buffer(2048);
    pipelineCodec.encodeToWire(wire, event);
    return pipelineCodec.decodeFromWire(0, wire);
  }

  /** A pipeline event to bytes only. */
  @Benchmark
  public Buffer pipelineEventEncode() {
    Buffer wire = Buffer.buffer(2048);
    pipelineCodec.encodeToWire(wire, event);
    return wire;
  }

  /** A processed event (event, state, snapshot) to bytes and back. */
  @Benchmark
  public ProcessedEvent processedEventRoundTrip() {
    Buffer wire = Buffer.buffer(2560);
    processedCodec.encodeToWire(wire, processed);
    return processedCodec.decodeFromWire(0, wire);
  }
}
