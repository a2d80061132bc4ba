package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full journal pushes back: {@code 429} with {@code Retry-After}, nothing dropped, and ingest takes events again
 * once a checkpoint has truncated what settled. The journal is bounded at 64 KiB and checkpoints run every 2 s, so
 * a quick burst of conversations fills it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JournalBackpressureTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void aFullJournalAnswers429UntilACheckpointTruncatesIt() throws Exception {
    JsonObject config = TestServer.config(dir);
    config.getJsonObject("journal").put("maxBytes", 1 << 16).put("segmentBytes", 1 << 16);
    config.put("checkpoint", config.getJsonObject("checkpoint").put("intervalMs", 2000));
    TestServer server = await(TestServer.start(vertx, dir, config));
    List<JsonArray> conversations = GeneratedConversations.voice("journal-full", 40, 4);

    List<String> accepted = new ArrayList<>();
    HttpResponse<Buffer> refused = null;
    for (JsonArray conversation : conversations) {
      for (Object envelope : conversation) {
        HttpResponse<Buffer> response = await(server.post(((JsonObject) envelope).toBuffer()));
        if (response.statusCode() == 429) {
          refused = response;
          break;
        }
        assertEquals(202, response.statusCode(), response.bodyAsString());
        accepted.add(((JsonObject) envelope).getString("id"));
      }
      if (refused != null) {
        break;
      }
    }
    assertTrue(refused != null, "64 KiB of ~2 KB events fills before 400 events");
    assertEquals("1", refused.getHeader("Retry-After"));
    assertTrue(refused.bodyAsString().contains("journal full"), refused.bodyAsString());
    JsonObject ready = await(server.get("/ready")).bodyAsJsonObject();
    assertEquals(true, ready.getJsonObject("journal").getBoolean("full"), ready.encode());

    // Everything taken settles; the next checkpoint truncates it and ingest takes the refused event again.
    JsonObject next = conversations.get(accepted.size() / 10).getJsonObject(accepted.size() % 10);
    await(Eventually.poll(vertx, 20_000, () -> server.post(next.toBuffer()).map(r -> r.statusCode() == 202)));
    accepted.add(next.getString("id"));
    await(Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(server.delivered().size() == accepted.size())));
    List<String> delivered = server.delivered().stream().map(l -> l.getString("eventId")).toList();
    assertEquals(new java.util.TreeSet<>(accepted), new java.util.TreeSet<>(delivered), "every acknowledged event");
    assertEquals(accepted.size(), delivered.size(), "each once");
    for (JsonArray conversation : conversations) {
      List<String> posted = conversation.stream().map(e -> ((JsonObject) e).getString("id"))
          .filter(accepted::contains).toList();
      assertEquals(posted, delivered.stream().filter(posted::contains).toList(), "in order per conversation");
    }
  }
}
