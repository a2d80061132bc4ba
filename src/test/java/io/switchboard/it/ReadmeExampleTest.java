package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's worked example ({@code conf/example-two-webhooks.json}) run as shipped, only re-pointed at test hooks. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ReadmeExampleTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
      .withMetrics(new MicrometerMetricsFactory()).build();

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatTheExampleDeliversTheSamplesToTwoWebhooksAndAnAuditFile(VertxTestContext ctx) throws Exception {
    JsonObject example = new JsonObject(Files.readString(Path.of("conf/example-two-webhooks.json")));
    Webhook crm = Webhook.start(vertx).toCompletionStage().toCompletableFuture().get();
    Webhook analytics = Webhook.start(vertx).toCompletionStage().toCompletableFuture().get();
    example.getJsonObject("http").put("port", 0).put("instances", 1);
    example.getJsonArray("targets").getJsonObject(0).put("url", crm.url());
    example.getJsonArray("targets").getJsonObject(1).put("url", analytics.url());
    Path audit = dir.resolve("audit.jsonl");
    example.getJsonArray("targets").getJsonObject(2).put("path", audit.toString());
    example.put("deadLetters", new JsonObject().put("dir", dir.resolve("dlq").toString()));
    example.put("park", new JsonObject().put("dir", dir.resolve("park").toString()));
    // Never the working directory's data/: a journal left there by an earlier run would be replayed into this one.
    example.put("journal", new JsonObject().put("dir", dir.resolve("journal").toString()));
    example.put("checkpoint", new JsonObject().put("dir", dir.resolve("snapshots").toString()));

    List<String> all = new ArrayList<>(Samples.VOICE);
    all.addAll(Samples.MULTI);
    TestServer.start(vertx, dir, example).compose(server -> {
      return server.postSamples(all).compose(v -> Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(
          crm.accepted().size() >= 10 && analytics.accepted().size() >= 8 && server.deliveredTo("audit.jsonl").size() >= 21)))
          .map(v -> server);
    }).onComplete(ctx.succeeding(server -> ctx.verify(() -> {
      assertEquals(Samples.VOICE.stream().map(s -> Samples.json(s).getString("id")).toList(),
          crm.accepted().stream().map(r -> r.json().getString("id")).toList(), "crm: the voice conversation, in order");
      assertEquals(8, analytics.accepted().size(), "analytics: queue legs and closing events");
      analytics.accepted().forEach(r -> assertEquals(r.json().getString("idempotencyKey"), r.header("Idempotency-Key")));
      assertEquals(21, server.deliveredTo("audit.jsonl").size(), "audit: everything");
      ctx.completeNow();
    })));
  }
}
