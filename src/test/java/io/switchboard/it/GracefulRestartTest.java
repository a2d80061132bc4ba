package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A graceful restart in the middle of a conversation loses nothing the pipeline knew: the conversation's state comes
 * back (its next events are valid transitions, not dead letters), and a redelivery within the dedup window is still
 * a duplicate. Each half runs in its own Vert.x, as two processes would, on the same directories.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class GracefulRestartTest {

  @TempDir
  Path dir;

  private static Vertx newVertx() {
    return Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  @Test
  void stateAndDedupSurviveADrainedRestart() throws Exception {
    List<String> firstHalf = Samples.VOICE.subList(0, 6);
    List<String> secondHalf = Samples.VOICE.subList(6, Samples.VOICE.size());

    Vertx first = newVertx();
    TestServer before = await(TestServer.start(first, dir, TestServer.config(dir)));
    await(before.postSamples(firstHalf));
    await(Eventually.poll(first, 20_000, () -> Future.succeededFuture(before.delivered().size() == 6)));
    JsonObject stateBefore = await(before.get("/conversations/" + Samples.VOICE_ID)).bodyAsJsonObject();
    // Stopped as the launcher stops it on SIGTERM: drain, then close.
    await(before.main().drain());
    await(first.close());

    Vertx second = newVertx();
    try {
      TestServer after = await(TestServer.start(second, dir, TestServer.config(dir)));
      JsonObject stateAfter = await(after.get("/conversations/" + Samples.VOICE_ID)).bodyAsJsonObject();
      assertEquals(stateBefore.getString("state"), stateAfter.getString("state"), stateAfter.encodePrettily());
      assertEquals(stateBefore.getJsonArray("lastEvents"), stateAfter.getJsonArray("lastEvents"));

      JsonObject again = await(after.post(Samples.bytes(firstHalf.get(2)))).bodyAsJsonObject();
      assertEquals(1, again.getInteger("duplicates"), "a redelivery within the window is still a duplicate: " + again);

      await(after.postSamples(secondHalf));
      await(Eventually.poll(second, 20_000, () -> Future.succeededFuture(after.delivered().size() == 10)));
      List<JsonObject> delivered = after.delivered();
      assertEquals(Samples.VOICE.stream().map(f -> Samples.json(f).getString("id")).toList(),
          delivered.stream().map(e -> e.getString("eventId")).toList(),
          "each event delivered once, in order, across the restart");
      assertEquals("closed", delivered.get(9).getString("state"), "the conversation ran to its end");
      assertEquals(List.of(), after.deadLetters(), "no event became an invalid transition after the restart");
      assertEquals(0, (int) await(after.inFlight()));
    } finally {
      await(second.close());
    }
  }
}
