package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.codecs.Codecs;
import io.switchboard.config.DeadLetterConfig;
import io.switchboard.it.Eventually;
import io.switchboard.it.UnwritableDir;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The DLQ writer on a real Vert.x and real files: it alone settles dead letters, only once they are written, keeps
 * and retries what its sources wait for while the directory cannot be written, and answers the DLQ's requests.
 * Failure injection: the DLQ directory is moved aside and a regular file put in its place (which also stops root),
 * and every batch opens a new file ({@code rotateBytes} 1), so writes fail until the directory is put back.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class DeadLetterWriterVerticleTest {

  private static final String ORIGIN = Addresses.settle("local", "writer-test");

  @TempDir
  Path tmp;
  private Path dlq;
  private UnwritableDir broken;
  private final List<Settlement> settled = new CopyOnWriteArrayList<>();

  @BeforeEach
  void deploy(Vertx vertx, VertxTestContext ctx) {
    dlq = tmp.resolve("dlq");
    Codecs.registerAll(vertx.eventBus());
    vertx.eventBus().<Settlement>localConsumer(ORIGIN, msg -> settled.add(msg.body()));
    // A first letter fills the file opened at start, so every later batch opens a new one.
    vertx.deployVerticle(new DeadLetterWriterVerticle(new DeadLetterConfig(dlq.toString(), 1, 1, 1, java.util.List.of())))
        .compose(id -> DeadLetters.send(vertx, letter(Ticket.NONE, DeadLetter.Stage.INGEST, "evt-first", 0)))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static DeadLetter letter(Ticket ticket, DeadLetter.Stage stage, String eventId, int settleParts) {
    long now = System.currentTimeMillis();
    return new DeadLetter(ticket, stage, DeadLetter.Reason.INVALID_TRANSITION, "not allowed", null, eventId, "conv-1",
        1, now, now, now, Buffer.buffer("{\"id\":\"" + eventId + "\"}"), settleParts);
  }

  private void breakDirectory() throws IOException {
    broken = UnwritableDir.breakDir(dlq);
  }

  private void repairDirectory() throws IOException {
    broken.repair();
  }

  private double pendingGauge() {
    return PipelineMetrics.registry().get("switchboard.deadletters.pending").tag("dir", dlq.toString()).gauge().value();
  }

  private static Future<Void> after(Vertx vertx, long millis) {
    Promise<Void> elapsed = Promise.promise();
    vertx.setTimer(millis, id -> elapsed.complete());
    return elapsed.future();
  }

  /** Entries listed through the writer's own query address, as {@code GET /dlq} does. */
  private static Future<JsonArray> listed(Vertx vertx, String eventId) {
    JsonArray params = new JsonArray().add(new JsonArray().add("eventId").add(eventId));
    return vertx.eventBus().<Buffer>request(Addresses.DLQ_QUERY, params)
        .map(reply -> reply.body().toJsonObject().getJsonArray("entries"));
  }

  @Test
  void verifiesThatAStateStageDeadLetterIsSettledOnlyOnceWrittenAndThenExactlyOnce(Vertx vertx, VertxTestContext ctx)
      throws IOException {
    breakDirectory();
    DeadLetters.send(vertx, letter(new Ticket(ORIGIN, 7), DeadLetter.Stage.STATE, "evt-state", 1))
        .compose(v -> after(vertx, 800)) // several failed retries: 100, 200, 400 ms
        .compose(v -> {
          ctx.verify(() -> {
            assertEquals(List.of(), settled, "not settled while the write fails");
            assertEquals(1.0, pendingGauge());
          });
          try {
            repairDirectory();
          } catch (IOException e) {
            return Future.failedFuture(e);
          }
          return Eventually.poll(vertx, 10_000, () -> Future.succeededFuture(!settled.isEmpty()));
        })
        .compose(v -> after(vertx, 500)) // a second report would come by now
        .compose(v -> listed(vertx, "evt-state"))
        .onComplete(ctx.succeeding(entries -> ctx.verify(() -> {
          assertEquals(List.of(new Settlement(7, 1, Settlement.Outcome.DEAD_LETTERED)), settled);
          assertEquals(1, entries.size(), "written exactly once: " + entries);
          assertEquals("state", entries.getJsonObject(0).getString("stage"));
          assertEquals(0.0, pendingGauge());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatUntrackedInputIsRefusedWhileTheDirectoryCannotBeWrittenAndNotRetried(Vertx vertx,
                                                                                       VertxTestContext ctx)
      throws IOException {
    breakDirectory();
    DeadLetters.send(vertx, letter(Ticket.NONE, DeadLetter.Stage.INGEST, "evt-input", 0))
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertEquals(FailureCodes.BUSY, assertInstanceOf(ReplyException.class, e).failureCode());
          assertEquals(0.0, pendingGauge(), "not kept: its HTTP caller retries");
          repairDirectory();
          after(vertx, 500).compose(v -> listed(vertx, "evt-input")).onComplete(ctx.succeeding(entries ->
              ctx.verify(() -> {
                assertEquals(0, entries.size(), "never written behind its caller's back");
                ctx.completeNow();
              })));
        })));
  }

  @Test
  void verifiesThatADispatcherLetterSettlesItsPartsAndAnAlreadySettledOneNothing(Vertx vertx, VertxTestContext ctx) {
    DeadLetters.send(vertx, letter(new Ticket(ORIGIN, 9), DeadLetter.Stage.DISPATCH, "evt-redriven", 0))
        .compose(v -> DeadLetters.send(vertx, letter(new Ticket(ORIGIN, 8), DeadLetter.Stage.DISPATCH, "evt-dispatch", 3)))
        .compose(v -> after(vertx, 300))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(List.of(new Settlement(8, 3, Settlement.Outcome.DEAD_LETTERED)), settled);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatConcurrentReplayMarksThroughTheOwnerAreAllRecorded(Vertx vertx, VertxTestContext ctx) {
    List<Future<Void>> sends = new ArrayList<>();
    JsonArray ids = new JsonArray();
    for (int i = 0; i < 5; i++) {
      sends.add(DeadLetters.send(vertx, letter(Ticket.NONE, DeadLetter.Stage.INGEST, "evt-" + i, 0)));
    }
    Future.all(sends)
        .compose(v -> vertx.eventBus().<Buffer>request(Addresses.DLQ_QUERY, new JsonArray()))
        .compose(page -> {
          page.body().toJsonObject().getJsonArray("entries").forEach(e -> ids.add(((JsonObject) e).getString("id")));
          return vertx.eventBus().<JsonArray>request(Addresses.DLQ_GET_ALL, ids);
        })
        .compose(found -> {
          List<Future<Message<Object>>> marks = new ArrayList<>();
          for (int round = 0; round < 20; round++) {
            for (Object letter : found.body()) {
              marks.add(vertx.eventBus().request(Addresses.DLQ_MARK_REPLAYED, new JsonObject()
                  .put("letter", letter).put("outcome", "delivered").put("target", "crm")));
            }
          }
          return Future.all(marks);
        })
        .compose(v -> vertx.eventBus().<Long>request(Addresses.DLQ_DEPTH, null))
        .onComplete(ctx.succeeding(depth -> ctx.verify(() -> {
          assertEquals(6, ids.size());
          assertEquals(0L, depth.body());
          List<String> journal = Files.readAllLines(dlq.resolve("replays.jsonl"));
          assertEquals(120, journal.size());
          assertTrue(journal.stream().allMatch(line -> new JsonObject(line).getString("outcome").equals("delivered")));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAnUnknownIdIs404AndABadQuery400(Vertx vertx, VertxTestContext ctx) {
    vertx.eventBus().request(Addresses.DLQ_GET, "no-such-id")
        .onComplete(ctx.failing(missing -> ctx.verify(() -> {
          assertEquals(FailureCodes.NOT_FOUND, ((ReplyException) missing).failureCode());
          vertx.eventBus().request(Addresses.DLQ_QUERY, new JsonArray().add(new JsonArray().add("limit").add("x")))
              .onComplete(ctx.failing(bad -> ctx.verify(() -> {
                assertEquals(FailureCodes.BAD_REQUEST, ((ReplyException) bad).failureCode());
                ctx.completeNow();
              })));
        })));
  }
}
