package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.PrometheusText.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real server with {@code state.invalidTransitions: "flag"} and a real loopback webhook: a lifecycle violation
 * is delivered with its reason in a header, and a conversation first seen at its {@code acd.end} is adopted.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class LifecycleViolationIntegrationTest {

  private static final String VOICE_ACD_END = "eb-voice-05-acd-end.json";
  private static final String MULTI_ACD_END = "eb-multi-03-message-acd-end.json";
  private static final String MULTI_ACD_START = "eb-multi-02-message-acd-start.json";

  @TempDir
  Path dir;
  private Vertx vertx;
  private Webhook crm;
  private TestServer server;

  @BeforeEach
  void start(VertxTestContext ctx) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    Webhook.start(vertx).compose(hook -> {
      crm = hook;
      JsonObject config = TestServer.config(dir);
      config.getJsonObject("state").put("invalidTransitions", "flag");
      // Both the violation and the adoption are held by reorder for the skipped step: keep that wait short.
      config.getJsonObject("reorder").put("windowMs", 300);
      config.getJsonArray("targets").add(new JsonObject().put("id", "crm").put("type", "http").put("url", crm.url()));
      return TestServer.start(vertx, dir, config);
    }).onComplete(ctx.succeeding(s -> {
      server = s;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> crmAccepted(int n) {
    return Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(crm.accepted().size() >= n))
        .recover(e -> Future.failedFuture(new AssertionError("crm got " + crm.accepted().size() + " of " + n
            + "; dead letters " + server.deadLetters())));
  }

  private Webhook.Received received(String sample) {
    String id = Samples.json(sample).getString("id");
    return crm.accepted().stream().filter(r -> id.equals(r.json().getString("id"))).findFirst()
        .orElseThrow(() -> new AssertionError(sample + " not delivered to crm"));
  }

  private JsonObject fileLine(String sample) {
    String id = Samples.json(sample).getString("id");
    return server.delivered().stream().filter(l -> id.equals(l.getString("eventId"))).findFirst()
        .orElseThrow(() -> new AssertionError(sample + " not in the file target"));
  }

  @Test
  void verifiesThatAViolationIsDeliveredNamedAndAConversationFirstSeenAtItsAcdEndIsAdopted(VertxTestContext ctx) {
    List<HttpResponse<?>> views = new ArrayList<>();
    // Voice: its start is seen, then an acd.end whose acd.start never came: a contradiction, flagged.
    // Multichannel: first seen at its acd.end (as after a restart): adopted; then its acd.start arrives late.
    server.postSamples(List.of("eb-voice-01-customer-start.json", VOICE_ACD_END, MULTI_ACD_END))
        .compose(v -> crmAccepted(3))
        .compose(v -> server.postSamples(List.of(MULTI_ACD_START)))
        .compose(v -> crmAccepted(4))
        .compose(v -> server.get("/conversations/" + Samples.VOICE_ID)).map(views::add)
        .compose(v -> server.get("/conversations/" + Samples.MULTI_ID)).map(views::add)
        .compose(v -> Eventually.poll(vertx, 5_000, () -> Future.succeededFuture(server.delivered().size() >= 4)))
        .compose(v -> server.get("/metrics"))
        .onComplete(ctx.succeeding(metrics -> ctx.verify(() -> {
          Webhook.Received violation = received(VOICE_ACD_END);
          assertEquals("invalid_transition", violation.header("X-Switchboard-Violation"));
          assertNull(violation.header("X-Switchboard-Late"));
          assertEquals(Samples.json(VOICE_ACD_END), violation.json(), "still the original envelope, verbatim");
          assertNull(received("eb-voice-01-customer-start.json").header("X-Switchboard-Violation"));
          JsonObject line = fileLine(VOICE_ACD_END);
          assertEquals("invalid_transition", line.getJsonObject("violation").getString("reason"));
          assertEquals("acd.end for session 49ca8286-e126-406e-b164-a88dfd0c1063 without a prior acd.start",
              line.getJsonObject("violation").getString("error"));
          assertEquals("started", line.getString("state"), "the violation left the state unchanged");

          Webhook.Received adopted = received(MULTI_ACD_END);
          assertNull(adopted.header("X-Switchboard-Violation"));
          assertNull(fileLine(MULTI_ACD_END).getValue("violation"));
          assertTrue(fileLine(MULTI_ACD_END).getJsonObject("conversation").getBoolean("joinedMidway"));
          assertEquals("true", received(MULTI_ACD_START).header("X-Switchboard-Late"),
              "the acd.start arrived after its acd.end was released");
          assertNull(received(MULTI_ACD_START).header("X-Switchboard-Violation"), "an adopted session's late start");

          JsonObject voice = views.get(0).bodyAsJsonObject();
          assertEquals("started", voice.getString("state"), voice.encode());
          assertFalse(voice.getBoolean("joinedMidway"), voice.encode());
          assertEquals(1, voice.getJsonObject("counters").getInteger("rejected"), voice.encode());
          JsonObject multi = views.get(1).bodyAsJsonObject();
          assertEquals(200, views.get(1).statusCode(), multi.encode());
          assertTrue(multi.getBoolean("joinedMidway"), multi.encode());
          assertEquals("ringing", multi.getString("state"), multi.encode());
          assertEquals(0, multi.getJsonObject("counters").getInteger("rejected"), multi.encode());

          assertEquals(List.of(), server.deadLetters(), "with flag nothing is dead-lettered");
          String text = metrics.bodyAsString();
          assertEquals(1.0, sample(text, "switchboard_lifecycle_violations_total",
              "outcome=\"flagged\"", "reason=\"invalid_transition\""), text);
          assertEquals(1.0, sample(text, "switchboard_conversations_joined_midway_total"), text);
          ctx.completeNow();
        })));
  }
}
