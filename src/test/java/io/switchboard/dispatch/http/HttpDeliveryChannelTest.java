package io.switchboard.dispatch.http;

import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.it.RefusingPort;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.Violation;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.switchboard.dispatch.http.TestDeliveries.askingFor;
import static io.switchboard.dispatch.http.TestDeliveries.delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class HttpDeliveryChannelTest {

  private static final Map<String, String> ENV = Map.of("HOOK_TOKEN", "Bearer t0ken");

  // --- rig -------------------------------------------------------------------------------------------------

  private static Future<HttpServer> server(Vertx vertx, Handler<HttpServerRequest> handler) {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")).requestHandler(handler).listen(0);
  }

  /** Answers every request with the status named in its attempt header (see {@link TestDeliveries#askingFor}). */
  private static Future<HttpServer> statusRig(Vertx vertx) {
    return server(vertx, req -> req.body().onSuccess(body -> {
      int status = Integer.parseInt(req.getHeader(HttpDeliveryChannel.ATTEMPT_HEADER));
      req.response().setStatusCode(status).putHeader("Location", "/elsewhere").end();
    }));
  }

  private static HttpTargetOptions options(String config) {
    return HttpTargetOptions.from(new ConfigNode(new JsonObject(config), "targets[0]"), ENV::get);
  }

  private static HttpTargetOptions options(int port, String extra) {
    return options("{\"url\":\"http://127.0.0.1:" + port + "/hook\"" + (extra.isEmpty() ? "" : "," + extra) + "}");
  }

  private static Future<HttpDeliveryChannel> started(Vertx vertx, HttpTargetOptions options) {
    HttpDeliveryChannel channel = new HttpDeliveryChannel(vertx, "test-target", options);
    return channel.start().map(channel);
  }

  private static Future<Outcome> deliverOne(HttpDeliveryChannel channel, Delivery delivery) {
    return channel.deliver(List.of(delivery)).map(outcomes -> {
      assertEquals(1, outcomes.size());
      return outcomes.get(0);
    });
  }

  private static Outcome.TransportFailure transportFailure(Outcome outcome) {
    return assertInstanceOf(Outcome.TransportFailure.class, outcome, () -> outcome.describe());
  }

  // --- what is sent ----------------------------------------------------------------------------------------

  @Test
  void verifiesThatTheBodyIsSentVerbatimWithEveryHeader(Vertx vertx, VertxTestContext ctx) {
    Buffer body = Buffer.buffer("{ \"detail\" : {\"name\":\"Zoë ☃\"},\n  \"n\": 1.50 }\n", "UTF-8");
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    AtomicReference<String> requestLine = new AtomicReference<>();
    AtomicReference<Buffer> received = new AtomicReference<>();
    server(vertx, req -> req.body().onSuccess(b -> {
      headers.set(req.headers());
      requestLine.set(req.method() + " " + req.uri());
      received.set(b);
      req.response().setStatusCode(202).end();
    }))
        .compose(server -> started(vertx, options("{\"url\":\"http://127.0.0.1:" + server.actualPort() + "/hook?tenant=acme\","
            + "\"headers\":{\"X-Static\":\"static-value\",\"Authorization\":{\"env\":\"HOOK_TOKEN\"}}}")))
        .compose(channel -> deliverOne(channel, delivery(body, "idem-1", 3)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(Outcome.status(202, null), outcome);
          assertEquals("POST /hook?tenant=acme", requestLine.get());
          assertEquals(body, received.get());
          MultiMap h = headers.get();
          assertEquals("application/json; charset=utf-8", h.get("Content-Type"));
          assertEquals("idem-1", h.get("X-Event-Id"));
          assertEquals("3", h.get("X-Switchboard-Attempt"));
          assertEquals(TestDeliveries.CONVERSATION_ID, h.get("X-Switchboard-Conversation-Id"));
          assertEquals(TestDeliveries.EVENT_TYPE, h.get("X-Switchboard-Event-Type"));
          assertEquals("static-value", h.get("X-Static"));
          assertEquals("Bearer t0ken", h.get("Authorization"));
          assertEquals("Switchboard", h.get("User-Agent"));
          assertEquals(String.valueOf(body.length()), h.get("Content-Length"));
          assertNull(h.get("X-Switchboard-Late"), "an in-order event");
          assertNull(h.get("X-Switchboard-Violation"), "an event the lifecycle accepted");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatALateEventAndAViolationAreNamedInHeaders(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<MultiMap> headers = new AtomicReference<>();
    server(vertx, req -> req.body().onSuccess(b -> {
      headers.set(req.headers());
      req.response().end();
    }))
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> deliverOne(channel, TestDeliveries.lateWithViolation(Buffer.buffer("{}"), "idem-late",
            new Violation(DeadLetter.Reason.INVALID_TRANSITION, "acd.end for session s without a prior acd.start"))))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(Outcome.status(200, null), outcome);
          assertEquals("true", headers.get().get("X-Switchboard-Late"));
          assertEquals("invalid_transition", headers.get().get("X-Switchboard-Violation"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatMethodIdempotencyHeaderAndContentTypeFollowTheOptions(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<HttpServerRequest> seen = new AtomicReference<>();
    server(vertx, req -> {
      seen.set(req);
      req.response().end();
    })
        .compose(server -> started(vertx, options(server.actualPort(),
            "\"method\":\"PUT\",\"idempotencyHeader\":\"Idempotency-Key\",\"contentType\":\"application/cloudevents+json\"")))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "idem-2", 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(Outcome.status(200, null), outcome);
          assertEquals("PUT", seen.get().method().name());
          assertEquals("idem-2", seen.get().getHeader("Idempotency-Key"));
          assertNull(seen.get().getHeader("X-Event-Id"));
          assertEquals("application/cloudevents+json", seen.get().getHeader("Content-Type"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatARetriedDeliveryResendsTheSameBodyOverTheSameConnection(Vertx vertx, VertxTestContext ctx) {
    Buffer body = Buffer.buffer("{\"id\":\"same\"}");
    List<Buffer> bodies = new ArrayList<>();
    AtomicInteger connections = new AtomicInteger();
    vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(b -> {
          bodies.add(b);
          req.response().setStatusCode(bodies.size() == 1 ? 503 : 200).end();
        }))
        .listen(0, "127.0.0.1")
        // One connection: the second request waits for the first one's, whereas with more it may open its own.
        .compose(server -> started(vertx, options(server.actualPort(), "\"maxConnections\":1")))
        .compose(channel -> deliverOne(channel, delivery(body, "k", 1))
            .compose(first -> deliverOne(channel, delivery(body, "k", 2)).map(second -> List.of(first, second))))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(List.of(Outcome.status(503, null), Outcome.status(200, null)), outcomes);
          assertEquals(List.of(body, body), bodies);
          assertEquals(1, connections.get(), "keep-alive connection reused");
          ctx.completeNow();
        })));
  }

  // --- answers ---------------------------------------------------------------------------------------------

  @Test
  void verifiesThatEveryStatusIsPassedThroughAndRedirectsAreNotFollowed(Vertx vertx, VertxTestContext ctx) {
    List<Integer> statuses = List.of(200, 201, 204, 302, 400, 401, 404, 409, 413, 500, 502, 503);
    statusRig(vertx)
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> {
          List<Future<Outcome>> all = new ArrayList<>();
          for (int status : statuses) {
            all.add(deliverOne(channel, askingFor(status)));
          }
          return Future.all(all).map(done -> done.<Outcome>list());
        })
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          for (int i = 0; i < statuses.size(); i++) {
            assertEquals(Outcome.status(statuses.get(i), null), outcomes.get(i));
          }
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatA429PassesItsRetryAfterThrough(Vertx vertx, VertxTestContext ctx) {
    server(vertx, req -> req.response().setStatusCode(429).putHeader("Retry-After", "7").end("slow down"))
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(Outcome.status(429, "7"), outcome);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAHugeResponseBodyIsDiscardedAndTheConnectionStaysUsable(Vertx vertx, VertxTestContext ctx) {
    Buffer eightMegabytes = Buffer.buffer(new byte[8 * 1024 * 1024]);
    AtomicInteger connections = new AtomicInteger();
    vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> req.body().onSuccess(b -> {
          boolean first = "1".equals(req.getHeader(HttpDeliveryChannel.ATTEMPT_HEADER));
          req.response().setStatusCode(first ? 500 : 200).end(first ? eightMegabytes : Buffer.buffer());
        }))
        .listen(0, "127.0.0.1")
        .compose(server -> started(vertx, options(server.actualPort(), "\"maxConnections\":1")))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1))
            .compose(first -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 2)).map(second -> List.of(first, second))))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(List.of(Outcome.status(500, null), Outcome.status(200, null)), outcomes);
          assertEquals(1, connections.get());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatABatchIsAnsweredItemByItemInOrder(Vertx vertx, VertxTestContext ctx) {
    statusRig(vertx)
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> channel.deliver(List.of(askingFor(500), askingFor(200), askingFor(404))))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(List.of(Outcome.status(500, null), Outcome.status(200, null), Outcome.status(404, null)), outcomes);
          ctx.completeNow();
        })));
  }

  // --- no answer -------------------------------------------------------------------------------------------

  @Test
  void verifiesThatASilentServerTimesOutWithinTimeoutMs(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<Long> startedAt = new AtomicReference<>();
    server(vertx, req -> { })
        .compose(server -> started(vertx, options(server.actualPort(), "\"timeoutMs\":300")))
        .compose(channel -> {
          startedAt.set(System.nanoTime());
          return deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1));
        })
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt.get());
          assertEquals(TransportError.TIMEOUT, transportFailure(outcome).error());
          assertTrue(elapsedMs >= 250 && elapsedMs < 1500, "answered after " + elapsedMs + " ms");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatATricklingAnswerStillTimesOutWithinTimeoutMs(Vertx vertx, VertxTestContext ctx) {
    AtomicReference<Long> startedAt = new AtomicReference<>();
    AtomicReference<HttpDeliveryChannel> channelRef = new AtomicReference<>();
    // Headers at once, then a byte every 50 ms: the per-request idle timeout never fires on its own.
    server(vertx, req -> {
      req.response().setChunked(true).setStatusCode(200).write("[");
      long timer = vertx.setPeriodic(50, id -> req.response().write(" "));
      req.connection().closeHandler(v -> vertx.cancelTimer(timer));
    })
        .compose(server -> started(vertx, options(server.actualPort(), "\"timeoutMs\":300")))
        .compose(channel -> {
          channelRef.set(channel);
          startedAt.set(System.nanoTime());
          return deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1));
        })
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt.get());
          assertEquals(TransportError.TIMEOUT, transportFailure(outcome).error());
          assertTrue(elapsedMs >= 250 && elapsedMs < 1500, "answered after " + elapsedMs + " ms");
          channelRef.get().stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void verifiesThatAClosedPortIsReportedAsConnectionRefused(Vertx vertx, VertxTestContext ctx) {
    RefusingPort refusing = new RefusingPort();
    started(vertx, options(refusing.port(), ""))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          refusing.close();
          assertEquals(Outcome.transport(TransportError.CONNECTION_REFUSED, "connection refused"), outcome);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAConnectionClosedMidRequestIsReportedAsAReset(Vertx vertx, VertxTestContext ctx) {
    server(vertx, req -> req.connection().close())
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          TransportError error = transportFailure(outcome).error();
          assertTrue(error == TransportError.CONNECTION_RESET || error == TransportError.OTHER, outcome.describe());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAServerSpeakingGarbageGivesAnOutcomeNotAFailure(Vertx vertx, VertxTestContext ctx) {
    NetServer garbage = vertx.createNetServer().connectHandler(socket ->
        socket.handler(data -> socket.end(Buffer.buffer("NOT-HTTP\r\n\r\n", StandardCharsets.US_ASCII.name()))));
    garbage.listen(0, "127.0.0.1")
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          transportFailure(outcome);
          ctx.completeNow();
        })));
  }

  // --- containment -----------------------------------------------------------------------------------------

  @Test
  void verifiesThatAnUnsendableHeaderBecomesAnOutcomeInsteadOfAThrow(Vertx vertx, VertxTestContext ctx) {
    Delivery bad = TestDeliveries.delivery(Buffer.buffer("{}"), "k", 1, "conv\r\nX-Injected: 1");
    AtomicInteger requests = new AtomicInteger();
    server(vertx, req -> {
      requests.incrementAndGet();
      req.response().end();
    })
        .compose(server -> started(vertx, options(server.actualPort(), "")))
        .compose(channel -> deliverOne(channel, bad))
        .onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
          assertEquals(Outcome.transport(TransportError.OTHER, "request rejected before sending (IllegalArgumentException)"),
              outcome);
          assertEquals(0, requests.get());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatDeliveriesBeforeStartAndAfterStopAreOutcomes(Vertx vertx, VertxTestContext ctx) {
    HttpDeliveryChannel channel = new HttpDeliveryChannel(vertx, "test-target", options(1, ""));
    deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1))
        .compose(before -> channel.start().compose(v -> channel.stop())
            .compose(v -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)))
            .map(after -> List.of(before, after)))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(Outcome.transport(TransportError.OTHER, "channel not started"), outcomes.get(0));
          assertEquals(Outcome.transport(TransportError.OTHER, "channel stopped"), outcomes.get(1));
          ctx.completeNow();
        })));
  }

  // --- pool ------------------------------------------------------------------------------------------------

  @Test
  void verifiesThatConcurrentDeliveriesShareAPoolOfMaxConnections(Vertx vertx, VertxTestContext ctx) {
    int deliveries = 12;
    AtomicInteger connections = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Checkpoint answered = ctx.checkpoint(deliveries);
    vertx.createHttpServer().connectionHandler(c -> connections.incrementAndGet())
        .requestHandler(req -> {
          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          // Slow enough that the requests really overlap.
          vertx.setTimer(40, id -> {
            inFlight.decrementAndGet();
            req.response().setStatusCode(204).end();
          });
        })
        .listen(0, "127.0.0.1")
        .compose(server -> started(vertx, options(server.actualPort(), "\"maxConnections\":3")))
        .onComplete(ctx.succeeding(channel -> {
          for (int i = 0; i < deliveries; i++) {
            deliverOne(channel, delivery(Buffer.buffer("{}"), "k" + i, 1)).onComplete(ctx.succeeding(outcome -> ctx.verify(() -> {
              assertEquals(Outcome.status(204, null), outcome);
              assertTrue(connections.get() <= 3, connections.get() + " connections");
              assertEquals(3, peak.get());
              answered.flag();
            })));
          }
        }));
  }

  // --- TLS -------------------------------------------------------------------------------------------------

  @Test
  void verifiesThatASelfSignedServerIsRefusedUnlessTlsTrustAllIsSet(Vertx vertx, VertxTestContext ctx) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
    vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(req -> req.response().setStatusCode(204).end())
        .listen(0, "127.0.0.1")
        .compose(server -> {
          String url = "\"url\":\"https://127.0.0.1:" + server.actualPort() + "/hook\"";
          Future<Outcome> strict = started(vertx, options("{" + url + "}"))
              .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)));
          Future<Outcome> trusting = started(vertx, options("{" + url + ",\"tlsTrustAll\":true}"))
              .compose(channel -> deliverOne(channel, delivery(Buffer.buffer("{}"), "k", 1)));
          return Future.all(strict, trusting).map(done -> done.<Outcome>list());
        })
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(TransportError.OTHER, transportFailure(outcomes.get(0)).error());
          assertEquals(Outcome.status(204, null), outcomes.get(1));
          ctx.completeNow();
        })));
  }
}
