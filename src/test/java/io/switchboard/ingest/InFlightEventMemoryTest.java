package io.switchboard.ingest;

import io.switchboard.config.MemoryBudget;
import io.switchboard.it.Samples;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap an admitted event holds while in flight, measured: {@link MemoryBudget} counts the ingest in-flight
 * bound with it. 50,000 normalised voice samples (1,354 B of payload on average) are kept and the used heap
 * compared after full collections; at that count G1's region granularity is below 2 %.
 */
class InFlightEventMemoryTest {

  private static final int EVENTS = 50_000;

  @Test
  void verifiesThatAnInFlightEventFitsTheBudgetTheServerSizesItsHeapWith() throws Exception {
    EventNormalizer normalizer = new EventNormalizer(TestSupport.schemas(), true);
    List<PipelineEvent> held = new ArrayList<>(EVENTS);
    long before = usedAfterGc();
    for (int i = 0; i < EVENTS; i++) {
      // A fresh copy of the bytes, as each request brings its own.
      Buffer bytes = Buffer.buffer(Samples.bytes(Samples.VOICE.get(i % Samples.VOICE.size())).getBytes());
      NormalizeResult result = normalizer.normalize((JsonObject) bytes.toJsonValue(), bytes, "http",
          new Ticket("settle.test", i), 1L);
      held.add(((NormalizeResult.Normalized) result).event());
    }
    long perEvent = (usedAfterGc() - before) / held.size();
    // About 3.8 KB measured: the verbatim bytes and the parsed eventBody tree each take about half.
    assertTrue(perEvent > 1_354 && perEvent <= MemoryBudget.IN_FLIGHT_BYTES_PER_EVENT,
        "an in-flight event holds " + perEvent + " B");
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(20);
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
