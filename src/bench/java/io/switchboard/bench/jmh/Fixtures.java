package io.switchboard.bench.jmh;

import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * What every micro-benchmark starts from, read from the class path so that a forked JMH JVM finds it from any
 * working directory: the samples ({@code src/test/resources/samples}, at {@code /samples/}), the shipped schemas
 * and lifecycle ({@code conf/}, embedded at {@code /conf/}), and the normaliser built from them exactly as
 * {@code MainVerticle} builds it (strict {@code detail-type} agreement).
 */
public final class Fixtures {

  /** The acd.end envelope of the voice sample: 1,660 bytes, pretty-printed as Genesys sends it. */
  public static final String ACD_END_SAMPLE = "eb-voice-05-acd-end.json";
  /** The settlement address ingest instance 0 would stamp on its tickets. */
  public static final String ORIGIN = "settle.ingest-0";
  /** The ingest source name the HTTP endpoint uses. */
  public static final String SOURCE = "http";

  private Fixtures() {
  }

  /** A sample's bytes, as a client would post them. */
  public static Buffer sample(String name) {
    return Buffer.buffer(resource("/samples/" + name));
  }

  /** Parses bytes the way the events endpoint does ({@code Buffer.toJsonValue}). */
  public static JsonObject parse(Buffer bytes) {
    return (JsonObject) bytes.toJsonValue();
  }

  /** The shipped schemas: envelope, notification and one per known event type. */
  public static SchemaRegistry schemas() {
    return SchemaRegistry.load(file -> text("/conf/schemas/" + file), SchemaRegistry.DEFAULT_NAMES);
  }

  /** The normaliser of a server running the shipped configuration. */
  public static EventNormalizer normalizer() {
    return new EventNormalizer(schemas(), true);
  }

  /** The shipped {@code conf/lifecycle.json}. */
  public static LifecycleDefinition lifecycle() {
    return LifecycleDefinition.fromJson(new JsonObject(text("/conf/lifecycle.json")));
  }

  /**
   * Parses and normalises one envelope as ingest does.
   *
   * @throws IllegalStateException if the normaliser does not admit it: a benchmark must measure the happy path
   */
  public static PipelineEvent normalize(EventNormalizer normalizer, Buffer bytes, long seq) {
    NormalizeResult result = normalizer.normalize(parse(bytes), bytes, SOURCE, new Ticket(ORIGIN, seq), seq);
    if (result instanceof NormalizeResult.Normalized normalized) {
      return normalized.event();
    }
    throw new IllegalStateException("fixture not admitted by the normaliser: " + result);
  }

  private static String text(String path) {
    return new String(resource(path), StandardCharsets.UTF_8);
  }

  private static byte[] resource(String path) {
    try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("not on the class path: " + path + " (run with -Pbench test-compile)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
