package io.switchboard.ingest;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Admission against a recording pipeline: what went to dedup, what was dead-lettered, what settled. */
class AdmissionTest {

  private static final String ORIGIN = "sb.test.settle.http-0";

  /** Dedup by event id, like the dedup stage; dead letters kept in a list; both can be made to fail. */
  private static final class RecordingPipeline implements Admission.Pipeline {
    final List<PipelineEvent> admitted = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final Set<String> seen = new HashSet<>();
    boolean dedupDown;
    boolean dlqDown;
    Promise<DedupVerdict> held;

    @Override
    public Future<DedupVerdict> dedup(PipelineEvent event) {
      if (dedupDown) {
        return Future.failedFuture("Timed out after waiting 5000(ms)");
      }
      if (held != null) {
        return held.future();
      }
      if (!seen.add(event.eventId())) {
        return Future.succeededFuture(DedupVerdict.DUPLICATE_ID);
      }
      admitted.add(event);
      return Future.succeededFuture(DedupVerdict.ACCEPTED);
    }

    @Override
    public Future<Void> deadLetter(DeadLetter letter) {
      if (dlqDown) {
        return Future.failedFuture("disk full");
      }
      deadLetters.add(letter);
      return Future.succeededFuture();
    }
  }

  private final RecordingPipeline pipeline = new RecordingPipeline();
  private final SettlementTracker tracker = new SettlementTracker();
  private final List<String> counted = new ArrayList<>();
  private final Admission admission = new Admission("http", ORIGIN, new EventNormalizer(TestSupport.schemas(), true),
      tracker, pipeline, (source, outcome) -> counted.add(source + ":" + outcome));

  private List<ItemResult> admit(Buffer body) {
    List<ItemResult> results = new ArrayList<>();
    for (Future<ItemResult> f : admission.admitAll(body, 1_741_800_000_000L)) {
      assertTrue(f.succeeded(), "admission never fails an item; it answers retry instead");
      results.add(f.result());
    }
    return results;
  }

  @Test
  void aValidEnvelopeIsAdmittedWithATicketOfThisSourceAndStaysInFlight() {
    List<ItemResult> results = admit(TestSupport.sampleBytes("eb-voice-01-customer-start.json"));
    assertEquals(ItemResult.Status.ACCEPTED, results.get(0).status());
    assertEquals(1, pipeline.admitted.size());
    PipelineEvent event = pipeline.admitted.get(0);
    assertEquals(ORIGIN, event.ticket().origin());
    assertEquals(results.get(0).seq(), event.ticket().seq());
    assertEquals("http", event.source());
    assertEquals(1, admission.inFlight(), "admitted: settles when its journey ends");
    assertEquals(0, admission.settledThrough());
    assertEquals(List.of("http:accepted"), counted);
  }

  @Test
  void aRedeliveryIsAnsweredAsADuplicateAndSettlesAtOnce() {
    Buffer bytes = TestSupport.sampleBytes("eb-voice-01-customer-start.json");
    admit(bytes);
    ItemResult again = admit(bytes).get(0);
    assertEquals(ItemResult.Status.DUPLICATE, again.status());
    assertEquals("duplicate_id", again.reason());
    assertEquals(1, pipeline.admitted.size());
    assertEquals(1, admission.inFlight(), "only the first copy is in flight");
  }

  @Test
  void anArrayGetsOneResultPerItemInOrderAndBadItemsAreDeadLetteredWithTheirReason() {
    String good = TestSupport.sampleBytes("eb-voice-01-customer-start.json").toString();
    String invalid = "{\"version\":\"0\",\"id\":\"x\"}";
    Buffer body = Buffer.buffer("[" + good + "," + invalid + ",42]");
    List<ItemResult> results = admit(body);
    assertEquals(List.of(ItemResult.Status.ACCEPTED, ItemResult.Status.DEAD_LETTERED, ItemResult.Status.DEAD_LETTERED),
        results.stream().map(ItemResult::status).toList());
    assertEquals(List.of(0, 1, 2), results.stream().map(ItemResult::index).toList());
    assertEquals("unrecognised_shape", results.get(2).reason());
    assertEquals(0, results.get(2).seq(), "not an object: never admitted");
    assertEquals(2, pipeline.deadLetters.size());
    assertEquals(invalid, pipeline.deadLetters.get(0).payload().toString(), "the item's own bytes are kept");
    assertEquals(1, admission.inFlight(), "dead-lettered items settle once written");
  }

  @Test
  void whenDedupDoesNotAnswerTheItemMustBeRetriedAndIsNotLeftInFlight() {
    pipeline.dedupDown = true;
    ItemResult result = admit(TestSupport.sampleBytes("eb-voice-01-customer-start.json")).get(0);
    assertEquals(ItemResult.Status.RETRY, result.status());
    assertEquals("unavailable", result.reason());
    assertEquals(0, admission.inFlight());
    assertEquals(result.seq(), admission.settledThrough(), "the source answers retry; nothing waits for it");
  }

  @Test
  void whenTheDeadLetterCannotBeWrittenTheItemMustBeRetried() {
    pipeline.dlqDown = true;
    ItemResult result = admit(Buffer.buffer("{\"version\":\"0\",\"id\":\"x\"}")).get(0);
    assertEquals(ItemResult.Status.RETRY, result.status());
    assertEquals("dead_letter_unavailable", result.reason());
    assertEquals(0, admission.inFlight());
  }

  @Test
  void anUnparseableBodyIsRejectedWholeAndItsRawBytesDeadLettered() {
    Buffer body = Buffer.buffer("{\"version\": nope");
    assertThrows(DecodeException.class, () -> admission.admitAll(body, 0));
    assertEquals(0, admission.inFlight());
    assertTrue(admission.rejectUnparseable(body, "invalid JSON").succeeded());
    assertEquals(DeadLetter.Reason.UNPARSEABLE_JSON, pipeline.deadLetters.get(0).reason());
    assertEquals(body, pipeline.deadLetters.get(0).payload());
  }

  @Test
  void theResultWaitsForTheDedupVerdict() {
    pipeline.held = Promise.promise();
    Future<ItemResult> result = admission.admitAll(TestSupport.sampleBytes("eb-voice-01-customer-start.json"), 0).get(0);
    assertTrue(!result.isComplete(), "not answered before dedup has");
    pipeline.held.complete(DedupVerdict.DUPLICATE_CONTENT);
    assertEquals(ItemResult.Status.DUPLICATE, result.result().status());
    assertEquals("duplicate_content", result.result().reason());
    assertNull(result.result().error());
  }
}
