package io.switchboard.warmup;

import io.switchboard.dispatch.PayloadShaper;
import io.switchboard.filter.TargetFilters;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up's synthetic conversations go all the way through, with the shipped schemas and lifecycle. */
class WarmupTest {

  private static String schema(String file) {
    try {
      return Files.readString(Path.of("conf", "schemas", file));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void verifiesThatEverySyntheticEventIsValidAdmittedAppliedAndFiltered() throws IOException {
    EventNormalizer normalizer = new EventNormalizer(SchemaRegistry.load(WarmupTest::schema,
        SchemaRegistry.DEFAULT_NAMES), true);
    LifecycleDefinition lifecycle = LifecycleDefinition.fromJson(
        new JsonObject(Files.readString(Path.of("conf", "lifecycle.json"))));
    TargetFilters filters = TargetFilters.of(List.of(
        new JsonObject("{\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}}"),
        new JsonObject("{\"detail\": {\"eventBody\": {\"mediaType\": [\"EMAIL\"]}}}")),
        List.of("targets[0].filter", "targets[1].filter"));
    Warmup warmup = new Warmup(normalizer, lifecycle, filters,
        List.of(new PayloadShaper(false, null), new PayloadShaper(true, "us-east-1")));

    Warmup.Report report = warmup.run(1_000);

    assertEquals(1_000, report.events(), "whole conversations of ten events");
    assertEquals(report.events(), report.admitted(), "every synthetic event is valid and new");
    assertEquals(0, report.rejected(), "the lifecycle accepts every conversation, reordered as they arrive");
    assertEquals(report.admitted(), report.applied());
    // The voice target takes every event whose eventBody.mediaType is VOICE: all but the attributes event of each
    // of the 100 conversations, which carries it deeper down. The email target takes none.
    assertEquals(report.applied() - 100, report.selections());
    assertTrue(report.millis() >= 0);
  }
}
