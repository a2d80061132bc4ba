package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What POST /events answers for malformed and unwelcome requests, and what lands in the DLQ. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class IngestResponsesTest {

  @TempDir
  Path dir;
  private Vertx vertx;
  private TestServer server;

  private Future<TestServer> boot(Consumer<JsonObject> tweak) {
    vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
        .withMetrics(new MicrometerMetricsFactory()).build();
    JsonObject config = TestServer.config(dir);
    tweak.accept(config);
    return TestServer.start(vertx, dir, config).onSuccess(s -> server = s);
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    vertx.close().onComplete(ctx.succeedingThenComplete());
  }

  private Future<List<JsonObject>> deadLettersAfter(int expected) {
    return Eventually.poll(vertx, 10_000, () -> Future.succeededFuture(server.deadLetters().size() >= expected))
        .map(v -> server.deadLetters());
  }

  @Test
  void verifiesThatTruncatedJsonIs400AndTheRawBodyIsDeadLettered(VertxTestContext ctx) {
    Buffer raw = Samples.bytes("edge-invalid-json-truncated.txt");
    boot(c -> { }).compose(s -> s.post(raw)).compose(r -> {
      ctx.verify(() -> {
        assertEquals(400, r.statusCode());
        assertTrue(r.bodyAsJsonObject().getString("error").startsWith("invalid JSON"), r.bodyAsString());
        assertEquals(true, r.bodyAsJsonObject().getBoolean("deadLettered"));
      });
      return deadLettersAfter(1);
    }).onComplete(ctx.succeeding(letters -> ctx.verify(() -> {
      JsonObject letter = letters.get(0);
      assertEquals("unparseable_json", letter.getString("reason"));
      assertEquals("ingest", letter.getString("stage"));
      assertEquals(raw.toString(), letter.getString("payloadText"));
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatSchemaInvalidEventsAreAcknowledgedAndDeadLetteredWithTheValidationError(VertxTestContext ctx) {
    boot(c -> { }).compose(s -> s.post(Samples.bytes("edge-wrong-types.json"))).compose(r -> {
      ctx.verify(() -> {
        assertEquals(202, r.statusCode(), r.bodyAsString());
        assertEquals(1, r.bodyAsJsonObject().getInteger("deadLettered"));
      });
      return deadLettersAfter(1);
    }).onComplete(ctx.succeeding(letters -> ctx.verify(() -> {
      JsonObject letter = letters.get(0);
      assertEquals("schema_invalid", letter.getString("reason"));
      assertEquals("validate", letter.getString("stage"));
      assertTrue(letter.getString("error").contains("eventTime"), letter.getString("error"));
      assertEquals("806cf6e9-638e-44ae-8ea6-c18de5c543c6", letter.getString("eventId"));
      assertEquals(Samples.json("edge-wrong-types.json"), letter.getJsonObject("payload"));
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatAnInvalidEventIs503WhileTheDlqCannotBeWrittenAnd202OnceItCan(VertxTestContext ctx) {
    // The first dead letter fills the DLQ file past rotateBytes, so the next one needs a new file in the directory,
    // which is then a regular file (that stops root too) until it is put back.
    Path dlq = dir.resolve("dlq");
    Path aside = dir.resolve("dlq-aside");
    Buffer invalid = Samples.bytes("edge-wrong-types.json");
    boot(c -> c.getJsonObject("deadLetters").put("rotateBytes", 4096))
        .compose(s -> s.post(new io.vertx.core.json.JsonArray().add("x".repeat(5000)).toBuffer()))
        .compose(filled -> {
          ctx.verify(() -> assertEquals(202, filled.statusCode(), filled.bodyAsString()));
          return vertx.fileSystem().move(dlq.toString(), aside.toString())
              .compose(v -> vertx.fileSystem().writeFile(dlq.toString(), Buffer.buffer("not a directory")))
              .compose(v -> server.post(invalid));
        })
        .compose(refused -> {
          ctx.verify(() -> {
            assertEquals(503, refused.statusCode(), refused.bodyAsString());
            assertNotNull(refused.getHeader("Retry-After"));
          });
          return vertx.fileSystem().delete(dlq.toString())
              .compose(v -> vertx.fileSystem().move(aside.toString(), dlq.toString()))
              .compose(v -> server.post(invalid));
        })
        .onComplete(ctx.succeeding(accepted -> ctx.verify(() -> {
          assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
          assertEquals(1, accepted.bodyAsJsonObject().getInteger("deadLettered"));
          assertEquals(1, server.deadLetters().stream()
              .filter(l -> "schema_invalid".equals(l.getString("reason"))).count(), "the refused one was not kept");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatEachEdgeCaseGetsItsDocumentedOutcome(VertxTestContext ctx) {
    boot(c -> { })
        .compose(s -> expectItem("edge-null-event-body.json", "dead_lettered", "schema_invalid"))
        .compose(v -> expectItem("edge-detail-type-topic-mismatch.json", "dead_lettered", "type_mismatch"))
        .compose(v -> expectItem("edge-unknown-topic.json", "accepted", null))
        .compose(v -> expectItem("edge-missing-conversation-id.json", "accepted", null))
        .compose(v -> expectItem("edge-oversized-attributes.json", "accepted", null))
        .compose(v -> expectItem("ws-msg-heartbeat.json", "ignored", null))
        .compose(v -> expectItem("ws-msg-detail-acd-start.json", "accepted", null))
        .onComplete(ctx.succeedingThenComplete());
  }

  private Future<Void> expectItem(String sample, String status, String reason) {
    return server.post(Samples.bytes(sample)).map(r -> {
      assertEquals(202, r.statusCode(), sample + ": " + r.bodyAsString());
      JsonObject item = r.bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
      assertEquals(status, item.getString("status"), sample + ": " + item.encode());
      if (reason != null) {
        assertEquals(reason, item.getString("reason"), sample);
      }
      return null;
    });
  }

  @Test
  void verifiesThatABodyOverTheLimitIs413(VertxTestContext ctx) {
    boot(c -> c.getJsonObject("http").put("maxBodyBytes", 64 * 1024))
        .compose(s -> s.post(Samples.bytes("edge-oversized-attributes.json")))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(413, r.statusCode());
          ctx.completeNow();
        })));
  }

  /**
   * Found by {@link PoisonInputFuzzTest}: a 1 MB array of half a million tiny items fanned out into as many parses,
   * dead letters and results, blocked the event loop for seconds and ran the shipped 352 MB heap out of memory.
   */
  @Test
  void verifiesThatAnArrayOfMoreItemsThanMayBeInFlightIs413AndNothingOfItIsDeadLettered(VertxTestContext ctx) {
    Buffer tiny = Buffer.buffer("[" + "1,".repeat(499_999) + "1]");
    boot(c -> { })
        .compose(s -> s.post(tiny))
        .compose(r -> {
          ctx.verify(() -> {
            String answer = r.bodyAsString().substring(0, Math.min(300, r.bodyAsString().length()));
            assertEquals(413, r.statusCode(), answer);
            assertTrue(r.bodyAsJsonObject().getString("error").contains("more than 5000 items"), answer);
          });
          return server.post(Samples.bytes("eb-voice-01-customer-start.json"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(202, r.statusCode(), r.bodyAsString());
          assertEquals(List.of(), server.deadLetters());
          ctx.completeNow();
        })));
  }

  /**
   * Found by {@link PoisonInputFuzzTest}: the parser read a body with a BOM, or in UTF-32, and its verbatim bytes made
   * a DLQ line no reader could parse, so an acknowledged dead letter vanished from {@code /dlq}.
   */
  @Test
  void verifiesThatABodyThatIsNotUtf8Is400AndItsDeadLetterCanBeRead(VertxTestContext ctx) {
    Buffer withBom = Buffer.buffer(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF})
        .appendBuffer(Samples.bytes("edge-wrong-types.json"));
    Buffer utf32 = Buffer.buffer(Samples.bytes("eb-voice-01-customer-start.json").toString()
        .getBytes(java.nio.charset.Charset.forName("UTF-32BE")));
    boot(c -> { })
        .compose(s -> s.post(withBom))
        .compose(r -> {
          ctx.verify(() -> assertEquals(400, r.statusCode(), r.bodyAsString()));
          return server.post(utf32);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(400, r.statusCode(), r.bodyAsString()));
          return server.get("/dlq");
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          JsonObject page = r.bodyAsJsonObject();
          assertEquals(0L, page.getLong("corruptLinesSkipped"), page.encode());
          assertEquals(List.of("unparseable_json", "unparseable_json"), page.getJsonArray("entries").stream()
              .map(e -> ((JsonObject) e).getString("reason")).toList());
          ctx.completeNow();
        })));
  }

  /**
   * Found by {@link PoisonInputFuzzTest}: ids of hundreds of kilobytes were accepted and kept per conversation by
   * the state and reorder stages, whose memory bounds count ids of UUID length.
   */
  @Test
  void verifiesThatAnEventWithAnOverlongIdIsDeadLetteredNotKept(VertxTestContext ctx) {
    JsonObject event = Samples.json("eb-voice-04-acd-start.json");
    event.getJsonObject("detail").getJsonObject("eventBody").put("participantId", "p".repeat(100_000));
    boot(c -> { })
        .compose(s -> s.post(event.toBuffer()))
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(202, r.statusCode());
          JsonObject item = r.bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
          assertEquals("dead_lettered", item.getString("status"));
          assertEquals("schema_invalid", item.getString("reason"));
          assertEquals("participantId: 100000 characters, more than the 256 allowed", item.getString("error"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatNonJsonContentIs415AndOtherMethodsAre405(VertxTestContext ctx) {
    boot(c -> { })
        .compose(s -> s.client().post(s.port(), "127.0.0.1", "/events").putHeader("content-type", "text/plain")
            .sendBuffer(Samples.bytes("eb-voice-01-customer-start.json")))
        .compose(r -> {
          ctx.verify(() -> assertEquals(415, r.statusCode()));
          return server.client().get(server.port(), "127.0.0.1", "/events").send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(405, r.statusCode());
          assertEquals("POST", r.getHeader("Allow"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatTheApiKeyIsEnforcedWhenConfigured(VertxTestContext ctx) {
    boot(c -> c.getJsonObject("http").put("apiKey", "s3cret").put("apiKeyHeader", "x-genesys-key"))
        .compose(s -> s.post(Samples.bytes("eb-voice-01-customer-start.json")))
        .compose(r -> {
          ctx.verify(() -> assertEquals(401, r.statusCode()));
          return server.client().post(server.port(), "127.0.0.1", "/events").putHeader("content-type", "application/json")
              .putHeader("x-genesys-key", "s3cret").sendBuffer(Samples.bytes("eb-voice-01-customer-start.json"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(202, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatHttpBasicIsAcceptedAsAnEventBridgeConnectionSendsIt(VertxTestContext ctx) {
    String authorization = "Basic " + java.util.Base64.getEncoder().encodeToString("eventbridge:pw".getBytes());
    boot(c -> c.getJsonObject("http").put("basicAuth",
        new JsonObject().put("username", "eventbridge").put("password", "pw")))
        .compose(s -> s.post(Samples.bytes("eb-voice-01-customer-start.json")))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(401, r.statusCode());
            assertEquals("Basic realm=\"switchboard\", charset=\"UTF-8\"", r.getHeader("WWW-Authenticate"));
          });
          return server.client().post(server.port(), "127.0.0.1", "/events")
              .putHeader("content-type", "application/json").putHeader("Authorization", authorization)
              .sendBuffer(Samples.bytes("eb-voice-01-customer-start.json"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(202, r.statusCode());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAdminEndpointsRefuseRequestsWithoutTheAdminKeyWhileProbesStayOpen(VertxTestContext ctx) {
    boot(c -> c.getJsonObject("http").put("apiKey", "ingest-key").put("adminKey", "admin-key")
        .put("metricsNeedAdmin", true))
        .compose(s -> Future.all(List.of(
            status("/dlq", null), status("/dlq/some-id", null), status("/conversations/c-1", null),
            status("/metrics", null), status("/dlq", "ingest-key"),
            status("/health", null), status("/ready", null),
            status("/dlq", "admin-key"), status("/conversations/c-1", "admin-key"), status("/metrics", "admin-key"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(List.of(401, 401, 401, 401, 401, 200, 200, 200, 404, 200), all.list());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatASeparateAdminListenerTakesTheAdminEndpointsAwayFromTheIngestPort(VertxTestContext ctx) {
    boot(c -> c.getJsonObject("http").put("adminPort", 0).put("adminKey", "admin-key"))
        .compose(s -> {
          int admin = s.main().adminPort();
          ctx.verify(() -> assertTrue(admin > 0 && admin != s.port(), "admin listener on its own port: " + admin));
          return Future.all(List.of(
              status("/dlq", "admin-key"), status("/conversations/c-1", "admin-key"), status("/health", null),
              adminStatus(admin, "/dlq", "admin-key"), adminStatus(admin, "/dlq", null),
              adminStatus(admin, "/conversations/c-1", "admin-key")));
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(List.of(404, 404, 200, 200, 401, 404), all.list());
          ctx.completeNow();
        })));
  }

  private Future<Integer> adminStatus(int port, String path, String adminKey) {
    var request = server.client().get(port, "127.0.0.1", path);
    if (adminKey != null) {
      request.putHeader("x-admin-key", adminKey);
    }
    return request.send().map(r -> r.statusCode());
  }

  /** The status of a GET, with the admin key header when {@code adminKey} is given. */
  private Future<Integer> status(String path, String adminKey) {
    var request = server.client().get(server.port(), "127.0.0.1", path);
    if (adminKey != null) {
      request.putHeader("x-admin-key", adminKey);
    }
    return request.send().map(r -> r.statusCode());
  }

  @Test
  void verifiesThatASaturatedPipelineAnswers429WithRetryAfter(VertxTestContext ctx) {
    // A window long enough to hold the first event (its successor is missing), and room for one event only.
    boot(c -> {
      c.getJsonObject("http").put("maxInFlight", 1).put("retryAfterSeconds", 3);
      c.getJsonObject("reorder").put("windowMs", 30_000).put("initialLatenessMs", 30_000);
    })
        .compose(s -> s.post(Samples.bytes("eb-voice-03-flow-end.json")))
        .compose(r -> {
          ctx.verify(() -> assertEquals(202, r.statusCode(), r.bodyAsString()));
          return server.post(Samples.bytes("eb-voice-01-customer-start.json"));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(429, r.statusCode());
          assertEquals("3", r.getHeader("Retry-After"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatMetricsAndHealthAreExposed(VertxTestContext ctx) {
    boot(c -> { })
        .compose(s -> s.post(Samples.bytes("eb-voice-01-customer-start.json")))
        .compose(r -> server.get("/health"))
        .compose(h -> {
          ctx.verify(() -> assertEquals("UP", h.bodyAsJsonObject().getString("status")));
          return server.get("/ready");
        })
        .compose(ready -> {
          ctx.verify(() -> assertEquals(200, ready.statusCode()));
          return server.get("/metrics");
        })
        .onComplete(ctx.succeeding(m -> ctx.verify(() -> {
          String text = m.bodyAsString();
          assertNotNull(text);
          assertTrue(text.contains("switchboard_events_ingested_total{outcome=\"accepted\",source=\"http\"}"), text);
          ctx.completeNow();
        })));
  }

}
