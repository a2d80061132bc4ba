package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Verifies that the PutEvents emulator answers raw requests the way the API reference says EventBridge does. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class EventBridgeEmulatorTest {

  private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/events/"
      + "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0".repeat(64);

  private EventBridgeEmulator emulator;
  private WebClient client;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext ctx) {
    client = WebClient.create(vertx);
    EventBridgeEmulator.start(vertx).onComplete(ctx.succeeding(e -> {
      emulator = e;
      ctx.completeNow();
    }));
  }

  private static JsonObject entry(String detail) {
    return new JsonObject().put("Source", "switchboard").put("DetailType", "t").put("Detail", detail)
        .put("EventBusName", "default").put("Time", 1741701727.412);
  }

  private HttpRequest<Buffer> request() {
    return client.postAbs(emulator.endpoint() + "/").putHeader("X-Amz-Target", EventBridgeEmulator.TARGET)
        .putHeader("Content-Type", EventBridgeEmulator.CONTENT_TYPE).putHeader("X-Amz-Date", "20260101T000000Z")
        .putHeader("Authorization", AUTHORIZATION);
  }

  private Future<HttpResponse<Buffer>> put(JsonArray entries) {
    return request().sendBuffer(new JsonObject().put("Entries", entries).toBuffer());
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String type) {
    assertEquals(status, response.statusCode(), response.bodyAsString());
    assertEquals(type, response.bodyAsJsonObject().getString("__type"), response.bodyAsString());
  }

  @Test
  void verifiesThatEntriesAreAnsweredInRequestOrderWithEventIdsOrTheirOwnErrors(VertxTestContext ctx) {
    JsonArray entries = new JsonArray().add(entry("{\"a\":1}")).add(entry("[1]")).add(entry("{}").put("Source", "aws.x"))
        .add(entry("{}").put("DetailType", "x".repeat(129))).add(entry("{}").putNull("Detail")).add(entry("{\"b\":2}"));
    put(entries).onComplete(ctx.succeeding(r -> ctx.verify(() -> {
      assertEquals(200, r.statusCode());
      assertEquals(EventBridgeEmulator.CONTENT_TYPE, r.getHeader("Content-Type"));
      assertNotNull(r.getHeader("x-amzn-RequestId"));
      JsonObject body = r.bodyAsJsonObject();
      assertEquals(4, body.getInteger("FailedEntryCount"));
      JsonArray results = body.getJsonArray("Entries");
      assertNotNull(results.getJsonObject(0).getString("EventId"));
      assertEquals("MalformedDetail", results.getJsonObject(1).getString("ErrorCode"));
      assertEquals("NotAuthorizedForSourceException", results.getJsonObject(2).getString("ErrorCode"));
      assertEquals("InvalidArgument", results.getJsonObject(3).getString("ErrorCode"));
      assertEquals("InvalidArgument", results.getJsonObject(4).getString("ErrorCode"));
      assertNotNull(results.getJsonObject(5).getString("EventId"));
      assertEquals(2, emulator.events().size());
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatWholeRequestProblemsAreRefusedWithAnAwsErrorBody(VertxTestContext ctx) {
    JsonArray eleven = new JsonArray();
    for (int i = 0; i < 11; i++) {
      eleven.add(entry("{}"));
    }
    put(eleven)
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "ValidationException"));
          return put(new JsonArray());
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "ValidationException"));
          return put(new JsonArray().add(entry("{}").put("EventBusName", "no spaces allowed")));
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "ValidationException"));
          return put(new JsonArray().add(entry(null)).add(entry(null)));
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "ValidationException"));
          return request().putHeader("X-Amz-Target", "AWSEvents.PutRule").sendBuffer(Buffer.buffer("{}"));
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "UnknownOperationException"));
          return client.postAbs(emulator.endpoint() + "/").putHeader("X-Amz-Target", EventBridgeEmulator.TARGET)
              .putHeader("Content-Type", EventBridgeEmulator.CONTENT_TYPE)
              .sendBuffer(new JsonObject().put("Entries", new JsonArray().add(entry("{}"))).toBuffer());
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertError(r, 400, "MissingAuthenticationTokenException");
          assertEquals(0, emulator.events().size());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatTheSizeLimitCountsEntriesAsAwsDocuments(VertxTestContext ctx) {
    // 14 (Time) + 11 (Source) + 1 (DetailType) + Detail + Resources; EventBusName and TraceHeader do not count.
    emulator.maxBytes(100);
    JsonObject exact = entry("{\"p\":\"" + "x".repeat(100 - 14 - 11 - 1 - 8 - 3) + "\"}")
        .put("Resources", new JsonArray().add("arn")).put("TraceHeader", "Root=1-00000000-000000000000000000000000");
    assertEquals(100, EventBridgeEmulator.entrySize(exact));
    put(new JsonArray().add(exact))
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode(), r.bodyAsString()));
          return put(new JsonArray().add(exact.copy().put("Resources", new JsonArray().add("arn!"))));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertError(r, 400, "ValidationException");
            assertEquals("Total size of the entries in the request is over the limit.",
                r.bodyAsJsonObject().getString("message"));
          });
          return put(new JsonArray().add(entry("{\"a\":1}")).add(entry("{\"b\":2}")).add(entry("{\"c\":" + "3".repeat(30) + "}")));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertError(r, 400, "ValidationException"); // the sum of the entries is what counts
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatInjectedFaultsAndLatencyApply(VertxTestContext ctx) {
    emulator.failRequests(n -> n == 1 ? EventBridgeEmulator.Fault.throttling() : n == 2 ? EventBridgeEmulator.Fault.internal()
        : null).failEntries((n, e) -> e.getString("Detail").contains("fail") ? "ThrottlingException" : null).latency(100);
    long started = System.currentTimeMillis();
    JsonArray entries = new JsonArray().add(entry("{\"fail\":true}")).add(entry("{}"));
    put(entries)
        .compose(r -> {
          ctx.verify(() -> assertError(r, 400, "ThrottlingException"));
          return put(entries);
        })
        .compose(r -> {
          ctx.verify(() -> assertError(r, 500, "InternalException"));
          return put(entries);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(1, r.bodyAsJsonObject().getInteger("FailedEntryCount"));
          assertEquals("ThrottlingException", r.bodyAsJsonObject().getJsonArray("Entries").getJsonObject(0)
              .getString("ErrorCode"));
          assertEquals(3, emulator.requests().size());
          assertEquals(1, emulator.events().size());
          assertEquals(true, System.currentTimeMillis() - started >= 300, "latency applied to every answer");
          ctx.completeNow();
        })));
  }
}
