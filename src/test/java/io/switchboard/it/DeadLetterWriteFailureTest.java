package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.switchboard.it.PrometheusText.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settlement stays exact when dead letters cannot be written, at every stage that writes them: the real server on
 * loopback, real webhooks, real files. Failure injection that also stops root ({@link UnwritableDir}): a first dead
 * letter fills the DLQ file past {@code rotateBytes}, so every later write must create a new file in the DLQ
 * directory, which is then replaced by a regular file (ENOTDIR) until it is put back. A full disk is not simulated
 * (that needs a mount); its ENOSPC fails the same write future, which is all the writer and its senders see.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, timeUnit = TimeUnit.SECONDS)
class DeadLetterWriteFailureTest {

  private static final String UNPARSEABLE = "edge-invalid-json-truncated.txt";
  private static final String NOT_AN_OBJECT = "[42]";
  private static final String TYPE_MISMATCH = "edge-detail-type-topic-mismatch.json";
  private static final String SCHEMA_INVALID = "edge-wrong-types.json";
  private static final String VOICE_START = "eb-voice-01-customer-start.json";
  private static final String VOICE_ACD_START = "eb-voice-04-acd-start.json";
  private static final String VOICE_ACD_END = "eb-voice-05-acd-end.json";
  private static final String MULTI_START = "eb-multi-01-message-customer-start.json";

  @TempDir
  Path dir;
  private Path dlq;
  private Vertx vertx;
  private Webhook crm;
  private Webhook billing;
  private TestServer server;
  private UnwritableDir broken;

  @BeforeEach
  void start() throws Exception {
    dlq = dir.resolve("dlq");
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    crm = await(Webhook.start(vertx));
    billing = await(Webhook.start(vertx));
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  /** Blocks the test thread (never an event loop) on one step of the scenario. */
  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  private void boot(JsonObject config) throws Exception {
    config.getJsonObject("deadLetters").put("rotateBytes", 4096);
    server = await(TestServer.start(vertx, dir, config));
    // The filler: one dead letter of 5 kB. The DLQ file it lands in is then full, so the next write opens a new one.
    HttpResponse<Buffer> filled = await(post(new JsonArray().add("x".repeat(5000)).encode()));
    assertEquals(202, filled.statusCode(), filled.bodyAsString());
    assertEquals(1, server.deadLetters().size(), "written before its 202");
  }

  /** The filler, and nothing else, was ever written while the DLQ was broken. */
  private void assertOnlyTheFillerWritten() throws Exception {
    try (var files = Files.list(broken.aside())) {
      long lines = 0;
      for (Path file : files.toList()) {
        lines += Files.readAllLines(file).stream().filter(l -> !l.isBlank()).count();
      }
      assertEquals(1, lines, "nothing written while the DLQ is broken");
    }
  }

  private Future<HttpResponse<Buffer>> post(String body) {
    return server.post(Buffer.buffer(body));
  }

  private static String sampleText(String sample) {
    return Samples.bytes(sample).toString();
  }

  private JsonObject ready() throws Exception {
    HttpResponse<Buffer> r = await(server.get("/ready"));
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject();
  }

  private int inFlight() throws Exception {
    return ready().getInteger("inFlight");
  }

  /** Dead letters the writer keeps and retries ({@code switchboard_deadletters_pending}). */
  private Future<Double> pending() {
    return metric("switchboard_deadletters_pending", "dir=\"" + dlq + "\"");
  }

  private Future<Double> metric(String name, String tag) {
    return server.get("/metrics").map(r -> sample(r.bodyAsString(), name, tag));
  }

  /** The overflow (parked events) of every target instance, summed, as {@code /ready} reports it. */
  private Future<Integer> parked() {
    return server.get("/ready").map(r -> r.bodyAsJsonObject().getJsonArray("targets").stream()
        .mapToInt(t -> ((JsonObject) t).getInteger("overflow")).sum());
  }

  private void eventually(String what, Supplier<Future<Boolean>> condition) throws Exception {
    await(Eventually.poll(vertx, 20_000, condition)
        .recover(e -> Future.failedFuture(new AssertionError("not in time: " + what))));
  }

  /** Lets time pass on a Vert.x timer. */
  private void pause(long millis) throws Exception {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(millis, id -> elapsed.complete());
    await(elapsed.future());
  }

  /** Dead letters by {@code stage/reason/target}, the filler left out. */
  private Map<String, Long> lettersByKind() {
    return server.deadLetters().stream().skip(1).collect(Collectors.groupingBy(
        l -> l.getString("stage") + "/" + l.getString("reason") + "/" + l.getString("target"), Collectors.counting()));
  }

  private void assert503(String sample, HttpResponse<Buffer> r) {
    assertEquals(503, r.statusCode(), sample + ": " + r.bodyAsString());
    assertNotNull(r.getHeader("Retry-After"), sample);
  }

  @Test
  void verifiesThatEveryStagesLettersAreAnsweredOrKeptWhileTheDlqIsBrokenAndSettleExactlyOnceItWorks()
      throws Exception {
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("reorder").put("lateEvents", "deadletter");
    config.getJsonArray("targets")
        .add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url()))
        .add(new JsonObject().put("id", "billing").put("type", "http").put("url", billing.url())
            .put("retry", new JsonObject().put("maxAttempts", 2).put("initialBackoffMs", 20).put("maxBackoffMs", 50)));
    crm.script(n -> Webhook.Reply.status(400));
    billing.script(n -> Webhook.Reply.status(503));
    boot(config);
    broken = UnwritableDir.breakDir(dlq);

    // Ingest and validate: input that never became an event is not kept; its sender is told to retry.
    assert503(UNPARSEABLE, await(post(sampleText(UNPARSEABLE))));
    assert503(NOT_AN_OBJECT, await(post(NOT_AN_OBJECT)));
    assert503(TYPE_MISMATCH, await(post(sampleText(TYPE_MISMATCH))));
    assert503(SCHEMA_INVALID, await(post(sampleText(SCHEMA_INVALID))));
    assertEquals(0, inFlight(), "what is answered 503 holds no slot");

    // State (the acd.end lacks its acd.start) and dispatch (crm rejects, billing runs out of attempts): their
    // letters are kept, and their events stay in flight. Then reorder: the acd.start comes after the acd.end.
    await(server.postSamples(List.of(VOICE_START, VOICE_ACD_END, MULTI_START)));
    eventually("state and dispatch letters kept", () -> pending().map(n -> n == 5));
    await(server.postSamples(List.of(VOICE_ACD_START)));
    eventually("the late event's letter kept", () -> pending().map(n -> n == 6));
    eventually("both starts delivered to the file target",
        () -> Future.succeededFuture(server.delivered().size() == 2));
    pause(1_000); // several failed retries of the kept letters (100, 200, 400 ms ...)
    assertEquals(4, inFlight(), "every event whose letter is owed stays in flight, none settled early");
    assertEquals(6.0, await(pending()));
    assertOnlyTheFillerWritten();

    broken.repair();
    eventually("kept letters written and settled", () -> Future.all(pending(), server.inFlight())
        .map(both -> both.<Double>resultAt(0) == 0 && both.<Integer>resultAt(1) == 0));
    // The sender retries what it was refused.
    HttpResponse<Buffer> unparseable = await(post(sampleText(UNPARSEABLE)));
    assertEquals(400, unparseable.statusCode(), unparseable.bodyAsString());
    assertEquals(true, unparseable.bodyAsJsonObject().getBoolean("deadLettered"));
    for (String body : List.of(NOT_AN_OBJECT, sampleText(TYPE_MISMATCH), sampleText(SCHEMA_INVALID))) {
      HttpResponse<Buffer> r = await(post(body));
      assertEquals(202, r.statusCode(), r.bodyAsString());
      assertEquals(1, r.bodyAsJsonObject().getInteger("deadLettered"), r.bodyAsString());
    }

    pause(500); // a second write or settlement of anything would have come by now
    assertEquals(Map.of(
        "ingest/unparseable_json/null", 1L,
        "ingest/unrecognised_shape/null", 1L,
        "ingest/type_mismatch/null", 1L,
        "validate/schema_invalid/null", 1L,
        "state/invalid_transition/null", 1L,
        "reorder/late_event/null", 1L,
        "dispatch/delivery_rejected/crm", 2L,
        "dispatch/retries_exhausted/billing", 2L), lettersByKind());
    assertEquals(Map.of(Samples.json(VOICE_ACD_END).getString("id"), "state",
        Samples.json(VOICE_ACD_START).getString("id"), "reorder"), server.deadLetters().stream()
        .filter(l -> List.of("state", "reorder").contains(l.getString("stage")))
        .collect(Collectors.toMap(l -> l.getString("eventId"), l -> l.getString("stage"))));
    JsonObject ready = ready();
    assertEquals(0, ready.getInteger("inFlight"), "exactly 0: no slot leaked, none settled twice");
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertEquals(0.0, await(pending()));
  }

  @Test
  void verifiesThatRedrivenParkedEventsThatDeadLetterStayParkedUntilTheDlqTakesTheirLetters() throws Exception {
    // crm never answers: the first event times out after 1.5 s; the rest are parked behind it and are older than
    // the 1 s max age when redriven, so each becomes a dead letter without being sent.
    crm.script(n -> Webhook.Reply.never());
    JsonObject config = TestServer.config(dir);
    config.getJsonArray("targets").add(ParkingIntegrationTest.agingTarget(crm));
    boot(config);
    broken = UnwritableDir.breakDir(dlq);

    await(server.postSamples(Samples.VOICE));
    eventually("the first event's letter kept", () -> pending().map(n -> n >= 1));
    eventually("a redriven event dead-lettered",
        () -> metric("switchboard_target_deadlettered_total", "target=\"crm\"").map(n -> n >= 2));
    pause(1_000); // offered again meanwhile, refused each time
    assertTrue(await(parked()) > 0, "still parked while its letter is refused");
    assertTrue(inFlight() >= 1, "the event whose letter the writer keeps is not settled");
    assertOnlyTheFillerWritten();

    broken.repair();
    eventually("every letter written, nothing in flight or parked", () -> Future.all(server.inFlight(), parked())
        .map(both -> server.deadLetters().size() >= 11 && both.<Integer>resultAt(0) == 0
            && both.<Integer>resultAt(1) == 0));
    pause(500);
    List<JsonObject> letters = server.deadLetters().subList(1, server.deadLetters().size());
    assertEquals(Samples.VOICE.stream().map(s -> Samples.json(s).getString("id")).sorted().toList(),
        letters.stream().map(l -> l.getString("eventId")).sorted().toList(), "each voice event's letter once");
    letters.forEach(l -> assertEquals("dispatch/retries_exhausted/crm",
        l.getString("stage") + "/" + l.getString("reason") + "/" + l.getString("target"), l.encode()));
    assertEquals(1, crm.requests(), "only the first event was ever sent");
    JsonObject ready = ready();
    assertEquals(0, ready.getInteger("inFlight"));
    assertEquals("UP", ready.getString("status"), ready.encode());
    assertEquals(0.0, await(pending()));
  }

}
