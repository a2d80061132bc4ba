package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sink's checks and failure injection over real HTTP on loopback, and the parsers the delivery benchmark
 * relies on. Run with {@code mvn -o -Pbench test -Dtest=HttpSinkTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HttpSinkTest {

  private Vertx vertx;
  private HttpSink sink;
  private WebClient client;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    sink = HttpSink.deploy(vertx, SinkOptions.loopback(List.of("a", "b"))).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Buffer envelope(String id, long sentAt, long eventTime) {
    return Buffer.buffer("{\"x-sent-at\":" + sentAt + ",\"version\":\"0\",\"id\":\"" + id + "\",\"detail\":{\"topicName\":\"t\","
        + "\"eventBody\":{\"conversationId\":\"c\",\"participants\":[{\"id\":\"p\"}],\"eventTime\":" + eventTime + "}}}");
  }

  private int post(String target, String key, String conversation, Buffer body) {
    HttpResponse<Buffer> response = client.postAbs(sink.url(target)).putHeader(HttpSink.EVENT_ID_HEADER, key)
        .putHeader(HttpSink.CONVERSATION_HEADER, conversation).sendBuffer(body).await();
    return response.statusCode();
  }

  @Test
  void verifiesThatDuplicatesAndBackwardsEventTimesAreCountedPerTarget() {
    long now = System.currentTimeMillis();
    assertEquals(200, post("a", "k1", "c1", envelope("e1", now, 1_000)));
    assertEquals(200, post("a", "k2", "c1", envelope("e2", now, 3_000)));
    assertEquals(200, post("a", "k3", "c1", envelope("e3", now, 2_000))); // backwards in c1
    assertEquals(200, post("a", "k4", "c2", envelope("e4", now, 500)));   // another conversation: fine
    assertEquals(200, post("a", "k2", "c1", envelope("e2", now, 3_000))); // same key again
    assertEquals(200, post("b", "k1", "c1", envelope("e1", now, 1_000))); // targets are independent

    SinkTarget.Snapshot a = sink.snapshot("a").await();
    assertEquals(5, a.stats().getLong("accepted"));
    assertEquals(4, a.stats().getInteger("distinctEvents"));
    assertEquals(1, a.stats().getLong("duplicates"));
    assertEquals(1, a.stats().getLong("orderViolations"));
    assertEquals(List.of("e3"), a.violationIds());
    assertEquals(5, a.times().size());
    SinkTarget.Snapshot b = sink.snapshot("b").await();
    assertEquals(0, b.stats().getLong("duplicates"));
    assertEquals(Set.of("e1"), b.envelopeIds());
  }

  private int postLate(String key, Buffer body, String late) {
    return client.postAbs(sink.url("a")).putHeader(HttpSink.EVENT_ID_HEADER, key)
        .putHeader(HttpSink.CONVERSATION_HEADER, "c1").putHeader(HttpSink.LATE_HEADER, late).sendBuffer(body).await()
        .statusCode();
  }

  @Test
  void verifiesThatLateFlagsAreCountedAndAFlaggedBackwardsStepIsStillAViolation() {
    long now = System.currentTimeMillis();
    assertEquals(200, post("a", "k1", "c1", envelope("e1", now, 3_000)));
    assertEquals(200, postLate("k2", envelope("e2", now, 1_000), "true"));  // backwards, flagged
    assertEquals(200, post("a", "k3", "c1", envelope("e3", now, 2_000)));   // backwards, not flagged
    assertEquals(200, postLate("k4", envelope("e4", now, 4_000), " TRUE "));  // flagged, yet in order
    assertEquals(200, postLate("k5", envelope("e5", now, 5_000), "false"));

    JsonObject stats = sink.snapshot("a").await().stats();
    assertEquals(2, stats.getLong("orderViolations"));
    assertEquals(1, stats.getLong("violationsFlaggedLate"));
    assertEquals(2, stats.getLong("flaggedLate"));
  }

  @Test
  void verifiesThatADownTargetAnswers503UntilItIsUpAndTheOtherKeepsAccepting() {
    sink.down("b", DownMode.UNAVAILABLE, 0).await();
    assertEquals(503, post("b", "k1", "c1", envelope("e1", 1, 1)));
    assertEquals(200, post("a", "k1", "c1", envelope("e1", 1, 1)));
    sink.up("b").await();
    assertEquals(200, post("b", "k1", "c1", envelope("e1", 1, 1)));
    JsonObject stats = sink.stats().await();
    assertEquals(1, stats.getJsonObject("targets").getJsonObject("b").getLong("answered503"));
    JsonObject window = stats.getJsonArray("downWindows").getJsonObject(0);
    assertEquals("503", window.getString("mode"));
    assertTrue(window.getLong("to") >= window.getLong("from"));
  }

  @Test
  void verifiesThatRefuseModeClosesThePortAndReopensItOnTheSamePort() {
    int port = sink.port("a");
    sink.down("a", DownMode.REFUSE, 0).await();
    assertThrows(Exception.class, () -> post("a", "k1", "c1", envelope("e1", 1, 1)));
    sink.up("a").await();
    assertEquals(port, sink.port("a"));
    assertEquals(200, post("a", "k1", "c1", envelope("e1", 1, 1)));
  }

  @Test
  void verifiesThatTheControlPortTakesATargetDownForAWhile() throws InterruptedException {
    HttpResponse<Buffer> down = client.post(sink.controlPort(), "127.0.0.1", "/down?target=a&seconds=1&mode=503")
        .send().await();
    assertEquals(200, down.statusCode(), down.bodyAsString());
    assertEquals(503, post("a", "k1", "c1", envelope("e1", 1, 1)));
    Thread.sleep(1_300);
    assertEquals(200, post("a", "k1", "c1", envelope("e1", 1, 1)));
    assertEquals(400, client.post(sink.controlPort(), "127.0.0.1", "/down?target=zz").send().await().statusCode());
  }

  @Test
  void verifiesThatEnvelopeFieldsAreReadWhateverTheKeyOrder() {
    EnvelopeFields fields = EnvelopeFields.scan(Buffer.buffer("{\"detail\":{\"eventBody\":{\"eventTime\":"
        + "\"2025-03-11T13:55:27.412Z\"},\"x\":[1,{\"id\":\"inner\"}]},\"id\":\"outer\",\"x-sent-at\":42}"));
    assertEquals(new EnvelopeFields("outer", 42, 1_741_701_327_412L), fields);
    assertEquals(new EnvelopeFields(null, EnvelopeFields.NONE, EnvelopeFields.NONE),
        EnvelopeFields.scan(Buffer.buffer("{\"a\":1}")));
    assertThrows(IllegalArgumentException.class, () -> EnvelopeFields.scan(Buffer.buffer("[1]")));
  }

  @Test
  void verifiesThatTheMetricsScrapeSumsInstancesPerTarget() {
    ServerMetrics metrics = ServerMetrics.parse(String.join("\n",
        "# HELP switchboard_delivered_total Events delivered, by target",
        "switchboard_delivered_total{target=\"a\"} 12.0",
        "switchboard_target_overflow{instance=\"b#0\"} 3.0",
        "switchboard_target_overflow{instance=\"b#1\"} 4.0",
        "switchboard_target_queue_depth{instance=\"b#0\"} 10000.0",
        "switchboard_target_retries_total{target=\"b\"} 7.0",
        "switchboard_reorder_released_total{how=\"late_flagged\"} 5.0",
        "switchboard_reorder_released_total{how=\"in_order\"} 99.0",
        "switchboard_events_ingested_total{outcome=\"saturated\",source=\"http\"} 2.0"));
    assertEquals(12, metrics.delivered("a"));
    assertEquals(7, metrics.overflow("b"));
    assertEquals(10_000, metrics.queued("b"));
    assertEquals(7, metrics.retries("b"));
    assertEquals(5, metrics.lateFlagged());
    assertEquals(2, metrics.saturated());
  }
}
