package io.switchboard.bench.jmh;

import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.Fingerprint;
import io.switchboard.ingest.JsonArraySplitter;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
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
 * The ingest work per event, on the voice sample's acd.end envelope (eb-voice-05, 1,660 bytes): the whole of it
 * ({@code parseAndNormalize}, what the events endpoint does per item) and its parts: the JSON parse, the
 * normaliser on an already parsed envelope, the content fingerprint, and the two schema validations the normaliser
 * runs (the envelope, then the acd.end body). {@code parseAndNormalizeMixed} cycles through 1,024 generated
 * envelopes of every event type instead (compact JSON, 0.9-1.4 KB), and {@code splitBatch10} splits a 10-envelope
 * array body as an EventBridge API destination with batching sends it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
public class IngestBenchmark {

  private static final int MIXED = 1024;

  private EventNormalizer normalizer;
  private SchemaRegistry schemas;
  private Buffer bytes;
  private JsonObject envelope;
  private JsonObject body;
  private String topicName;
  private Ticket ticket;
  private Buffer[] mixed;
  private int mixedIndex;
  private Buffer batch;

  /** Builds the normaliser from the shipped schemas and checks that the sample is admitted. */
  @Setup
  public void setUp() {
    schemas = Fixtures.schemas();
    normalizer = new EventNormalizer(schemas, true);
    bytes = Fixtures.sample(Fixtures.ACD_END_SAMPLE);
    envelope = Fixtures.parse(bytes);
    body = envelope.getJsonObject("detail").getJsonObject("eventBody");
    topicName = envelope.getJsonObject("detail").getString("topicName");
    ticket = new Ticket(Fixtures.ORIGIN, 1);
    Fixtures.normalize(normalizer, bytes, 1);
    if (schemas.validate(SchemaRegistry.ENVELOPE, envelope) != null
        || schemas.validate("acd.end", body, "/detail/eventBody") != null) {
      throw new IllegalStateException("the sample does not validate");
    }
    List<Arrival> arrivals = Streams.arrivals(MIXED);
    mixed = arrivals.stream().map(a -> a.event().payload()).toArray(Buffer[]::new);
    batch = Buffer.buffer("[");
    for (int i = 0; i < 10; i++) {
      if (i > 0) {
        batch.appendByte((byte) ',');
      }
      batch.appendBuffer(mixed[i]);
    }
    batch.appendByte((byte) ']');
  }

  /** Parse, then normalise (validation and fingerprint included): ingest's CPU per event before dedup. */
  @Benchmark
  public NormalizeResult parseAndNormalize() {
    return normalizer.normalize((JsonObject) bytes.toJsonValue(), bytes, Fixtures.SOURCE, ticket, 0);
  }

  /** As {@link #parseAndNormalize()}, cycling through generated events of every type. */
  @Benchmark
  public NormalizeResult parseAndNormalizeMixed() {
    Buffer item = mixed[mixedIndex++ & (MIXED - 1)];
    return normalizer.normalize((JsonObject) item.toJsonValue(), item, Fixtures.SOURCE, ticket, 0);
  }

  /** The normaliser alone, on the parsed envelope. */
  @Benchmark
  public NormalizeResult normalize() {
    return normalizer.normalize(envelope, bytes, Fixtures.SOURCE, ticket, 0);
  }

  /** Bytes to a Vert.x JSON tree (Jackson), as the events endpoint parses each item. */
  @Benchmark
  public Object parse() {
    return bytes.toJsonValue();
  }

  /** SHA-256 over topicName and the canonical eventBody. */
  @Benchmark
  public String fingerprint() {
    return Fingerprint.of(topicName, body);
  }

  /** The EventBridge envelope schema, on the whole envelope. */
  @Benchmark
  public String validateEnvelope() {
    return schemas.validate(SchemaRegistry.ENVELOPE, envelope);
  }

  /** The acd.end body schema, on {@code detail.eventBody}. */
  @Benchmark
  public String validateBody() {
    return schemas.validate("acd.end", body, "/detail/eventBody");
  }

  /** Finding the ten elements of an array body and copying each out (no parse). */
  @Benchmark
  public List<Buffer> splitBatch10() {
    return JsonArraySplitter.split(batch);
  }
}
