package io.switchboard.dispatch.eventbridge;

import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.PayloadShaper;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.it.Samples;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Deliveries of the sample payloads as a dispatcher hands them to a channel: normalised by the real normaliser. */
final class SampleDeliveries {

  private static EventNormalizer normalizer;

  private SampleDeliveries() {
  }

  /** The sample as an original-shape delivery (the body is the payload as received). */
  static Delivery delivery(String sample) {
    return delivery(sample, false);
  }

  static Delivery delivery(String sample, boolean enriched) {
    return delivery(Samples.bytes(sample), enriched);
  }

  static Delivery delivery(Buffer payload, boolean enriched) {
    PipelineEvent event = normalize(payload);
    ProcessedEvent processed = new ProcessedEvent(event, "started", 1, Buffer.buffer("{\"state\":\"started\"}"),
        1_741_701_800_000L);
    Buffer body = new PayloadShaper(enriched, null).shape(processed, "all");
    return new Delivery(processed, body, PayloadShaper.idempotencyKey(event), "all", 1);
  }

  static PipelineEvent normalize(Buffer payload) {
    NormalizeResult result = normalizer().normalize(payload.toJsonObject(), payload, "test", new Ticket("t", 0),
        1_741_701_700_000L);
    if (!(result instanceof NormalizeResult.Normalized normalized)) {
      throw new IllegalArgumentException("sample does not normalise: " + result);
    }
    return normalized.event();
  }

  private static synchronized EventNormalizer normalizer() {
    if (normalizer == null) {
      normalizer = new EventNormalizer(SchemaRegistry.load(SampleDeliveries::schema, SchemaRegistry.DEFAULT_NAMES), true);
    }
    return normalizer;
  }

  private static String schema(String fileName) {
    try {
      return Files.readString(Path.of("conf", "schemas").resolve(fileName), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
