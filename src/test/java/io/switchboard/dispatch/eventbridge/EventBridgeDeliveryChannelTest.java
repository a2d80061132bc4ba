package io.switchboard.dispatch.eventbridge;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Attempt;
import io.switchboard.dispatch.Decision;
import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.it.EventBridgeEmulator;
import io.switchboard.it.RefusingPort;
import io.switchboard.it.Samples;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The channel against the PutEvents emulator through the real SDK client (SigV4, JSON 1.1, endpoint override). */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class EventBridgeDeliveryChannelTest {

  private static final Map<String, String> ENV = Map.of("EB_KEY", "AKIDSWITCHBOARDTEST", "EB_SECRET", "not-a-secret",
      "EB_TOKEN", "session-token-for-tests");
  private static final String BUS = "arn:aws:events:us-east-1:123456789012:event-bus/contact-center";

  private EventBridgeEmulator emulator;
  private SimpleMeterRegistry registry;

  @BeforeEach
  void emulator(Vertx vertx, VertxTestContext ctx) {
    registry = new SimpleMeterRegistry();
    EventBridgeEmulator.start(vertx).onComplete(ctx.succeeding(e -> {
      emulator = e;
      ctx.completeNow();
    }));
  }

  private EventBridgeDeliveryChannel channel(Vertx vertx, String extra) {
    return channel(vertx, emulator.endpoint(), extra, ENV::get);
  }

  private EventBridgeDeliveryChannel channel(Vertx vertx, String endpoint, String extra, Function<String, String> env) {
    JsonObject json = new JsonObject("{\"eventBus\":\"" + BUS + "\",\"region\":\"us-east-1\",\"endpoint\":\"" + endpoint
        + "\",\"timeoutMs\":3000,\"staticCredentialsFromEnv\":{\"accessKeyId\":\"EB_KEY\",\"secretAccessKey\":\"EB_SECRET\"}"
        + (extra.isEmpty() ? "" : "," + extra) + "}");
    return new EventBridgeDeliveryChannel(vertx, "ops-bus",
        EventBridgeTargetOptions.from(new ConfigNode(json, "targets[0]"), ENV::get), env, registry);
  }

  /** Starts the channel, delivers one batch from an event-loop context, stops it. */
  private static Future<List<Outcome>> deliverOnce(Vertx vertx, EventBridgeDeliveryChannel channel, List<Delivery> batch) {
    return channel.start().compose(v -> channel.deliver(batch)).compose(outcomes -> channel.stop().map(outcomes));
  }

  private static List<Delivery> samples(String... names) {
    return java.util.Arrays.stream(names).map(SampleDeliveries::delivery).toList();
  }

  private double counter(String name, String... tags) {
    var counter = registry.find(name).tags(tags).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void verifiesThatABatchIsOneSignedRequestWithOneEntryPerDeliveryInOrder(Vertx vertx, VertxTestContext ctx) {
    List<String> names = List.of("eb-voice-01-customer-start.json", "eb-multi-01-message-customer-start.json",
        "ws-msg-detail-acd-start.json");
    deliverOnce(vertx, channel(vertx, ""), samples(names.toArray(String[]::new)))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(List.of(Outcome.status(200), Outcome.status(200), Outcome.status(200)), outcomes);
          assertEquals(1, emulator.requests().size());
          EventBridgeEmulator.Request request = emulator.requests().get(0);
          assertEquals(EventBridgeEmulator.TARGET, request.headers().get("X-Amz-Target"));
          assertTrue(request.headers().get("Content-Type").startsWith(EventBridgeEmulator.CONTENT_TYPE));
          String authorization = request.headers().get("Authorization");
          assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=AKIDSWITCHBOARDTEST/"), authorization);
          assertTrue(authorization.contains("/us-east-1/events/aws4_request"), authorization);
          List<JsonObject> entries = request.entries();
          assertEquals(3, entries.size());
          for (int i = 0; i < 3; i++) {
            JsonObject entry = entries.get(i);
            Delivery delivery = SampleDeliveries.delivery(names.get(i));
            assertEquals(BUS, entry.getString("EventBusName"));
            assertEquals("switchboard", entry.getString("Source"));
            assertEquals("v2.detail.events.conversation.{id}." + delivery.event().event().eventType(),
                entry.getString("DetailType"));
            assertEquals(delivery.event().event().eventTime() / 1000.0, entry.getDouble("Time"), 0.0005);
            assertNull(entry.getValue("Resources"));
            assertNull(entry.getValue("TraceHeader"));
          }
          // The Genesys detail exactly as it was received: the very bytes of the sample file.
          String file = Samples.bytes(names.get(0)).toString(StandardCharsets.UTF_8);
          assertTrue(file.contains("\"detail\": " + entries.get(0).getString("Detail") + "\n}"));
          assertEquals(Samples.json(names.get(2)), new JsonObject(entries.get(2).getString("Detail")));
          assertEquals(3, emulator.events().size());
          assertEquals(3.0, counter("switchboard.eventbridge.entries.put", "target", "ops-bus"));
          assertEquals(3.0, registry.find("switchboard.eventbridge.batch.size").summary().totalAmount());
          assertEquals(1, registry.find("switchboard.eventbridge.put.latency").timer().count());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatFailedEntriesGetTheirOwnOutcomesWithTheAwsCodeAndMessage(Vertx vertx, VertxTestContext ctx) {
    emulator.failEntries((n, entry) -> entry.getString("DetailType").endsWith(".customer.start") ? "ThrottlingException"
        : entry.getString("DetailType").endsWith(".acd.start") ? "InternalFailure" : null);
    deliverOnce(vertx, channel(vertx, ""), samples("eb-voice-01-customer-start.json", "eb-multi-05-message-user-end.json",
        "ws-msg-detail-acd-start.json"))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(List.of(Outcome.status(429, null, "ThrottlingException: Rate exceeded"), Outcome.status(200),
              Outcome.status(500, null, "InternalFailure: An internal failure occurred")), outcomes);
          RetryPolicy policy = RetryPolicy.defaults();
          assertInstanceOf(Decision.RetryAt.class, policy.decide(new Attempt(1, 0, 0, outcomes.get(0))));
          assertInstanceOf(Decision.Success.class, policy.decide(new Attempt(1, 0, 0, outcomes.get(1))));
          assertInstanceOf(Decision.RetryAt.class, policy.decide(new Attempt(1, 0, 0, outcomes.get(2))));
          assertEquals(1.0, counter("switchboard.eventbridge.entries.put"));
          assertEquals(1.0, counter("switchboard.eventbridge.entries.failed", "code", "ThrottlingException"));
          assertEquals(1.0, counter("switchboard.eventbridge.entries.failed", "code", "InternalFailure"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAWholeRequestFailureIsTheOutcomeOfEveryEntryItCarried(Vertx vertx, VertxTestContext ctx) {
    emulator.failRequests(n -> n == 1 ? EventBridgeEmulator.Fault.throttling() : EventBridgeEmulator.Fault.internal());
    EventBridgeDeliveryChannel channel = channel(vertx, "");
    List<Delivery> batch = samples("eb-voice-01-customer-start.json", "eb-multi-01-message-customer-start.json");
    channel.start()
        .compose(v -> channel.deliver(batch))
        .compose(first -> channel.deliver(batch).map(second -> List.of(first, second)))
        .onComplete(ctx.succeeding(both -> ctx.verify(() -> {
          Outcome throttled = Outcome.status(429, null, "ThrottlingException: Rate exceeded");
          Outcome internal = Outcome.status(500, null, "InternalException: Internal service error");
          assertEquals(List.of(List.of(throttled, throttled), List.of(internal, internal)), both);
          assertEquals(2, emulator.requests().size(), "no SDK retries underneath the retry policy");
          assertEquals(2.0, counter("switchboard.eventbridge.entries.failed", "code", "ThrottlingException"));
          assertEquals(2.0, counter("switchboard.eventbridge.entries.failed", "code", "InternalException"));
          channel.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void verifiesThatAnEntryOverTheLimitIsRefusedUnsentWithTheReasonWhileTheOthersGoOut(Vertx vertx, VertxTestContext ctx) {
    deliverOnce(vertx, channel(vertx, ""), samples("eb-voice-06-user-start.json", "edge-oversized-attributes.json",
        "eb-multi-01-message-customer-start.json"))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(Outcome.status(200), outcomes.get(0));
          assertEquals(Outcome.status(200), outcomes.get(2));
          Outcome.Status refused = assertInstanceOf(Outcome.Status.class, outcomes.get(1));
          assertEquals(400, refused.code());
          assertTrue(refused.detail().startsWith("EntryTooLarge: entry is "), refused.detail());
          assertTrue(refused.detail().endsWith(" bytes as EventBridge counts them (Source + DetailType + Detail + 14 for "
              + "Time), over maxEntryBytes 262144; not sent"), refused.detail());
          Decision.DeadLetter dead = assertInstanceOf(Decision.DeadLetter.class,
              RetryPolicy.defaults().decide(new Attempt(1, 0, 0, refused)));
          assertTrue(dead.why().contains("EntryTooLarge"), dead.why());
          assertEquals(1, emulator.requests().size());
          assertEquals(2, emulator.requests().get(0).entries().size(), "the oversized entry was never sent");
          assertEquals(1.0, counter("switchboard.eventbridge.entries.failed", "code", "EntryTooLarge"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatRequestsArePackedWithinTheSizeLimit(Vertx vertx, VertxTestContext ctx) {
    List<Delivery> batch = samples("eb-voice-01-customer-start.json", "eb-voice-02-flow-start.json",
        "eb-voice-03-flow-end.json", "eb-voice-04-acd-start.json", "eb-voice-05-acd-end.json");
    EventBridgeDeliveryChannel channel = channel(vertx, "\"maxEntryBytes\":2048");
    emulator.maxBytes(2048);
    deliverOnce(vertx, channel, batch).onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
      assertEquals(List.of(Outcome.status(200), Outcome.status(200), Outcome.status(200), Outcome.status(200),
          Outcome.status(200)), outcomes);
      assertTrue(emulator.requests().size() > 1, "split into several requests");
      for (EventBridgeEmulator.Request request : emulator.requests()) {
        assertEquals(200, request.status());
        assertTrue(request.entries().stream().mapToInt(EventBridgeEmulator::entrySize).sum() <= 2048);
      }
      assertEquals(5, emulator.events().size());
      ctx.completeNow();
    })));
  }

  @Test
  void verifiesThatDeliveriesHandedOverApartShareRequestsOfAtMostTenWithinTheLinger(Vertx vertx, VertxTestContext ctx) {
    EventBridgeDeliveryChannel channel = channel(vertx, "\"lingerMs\":200");
    List<String> names = Samples.all().subList(0, 12);
    long[] started = new long[1];
    channel.start()
        .compose(v -> {
          started[0] = System.currentTimeMillis();
          return Future.all(names.stream().map(n -> channel.deliver(List.of(SampleDeliveries.delivery(n)))).toList());
        })
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < names.size(); i++) {
            assertEquals(List.of(Outcome.status(200)), all.resultAt(i), names.get(i));
          }
          List<EventBridgeEmulator.Request> requests = emulator.requests();
          assertEquals(List.of(10, 2), requests.stream().map(r -> r.entries().size()).toList());
          assertTrue(requests.get(0).at() - started[0] < 150, "a full request goes at once");
          assertTrue(requests.get(1).at() - started[0] >= 190, "the rest waits for the linger");
          channel.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void verifiesThatWithoutLingerEachHandOverIsItsOwnRequest(Vertx vertx, VertxTestContext ctx) {
    EventBridgeDeliveryChannel channel = channel(vertx, "\"lingerMs\":0");
    channel.start()
        .compose(v -> Future.all(channel.deliver(samples("eb-voice-01-customer-start.json")),
            channel.deliver(samples("eb-multi-01-message-customer-start.json", "eb-voice-02-flow-start.json"))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(List.of(1, 2), emulator.requests().stream().map(r -> r.entries().size()).toList());
          channel.stop().onComplete(ctx.succeedingThenComplete());
        })));
  }

  @Test
  void verifiesThatAServiceSideRefusalOfAWholeRequestIsNarrowedToTheCulprit(Vertx vertx, VertxTestContext ctx) {
    // Configured for 1 MiB but the service still has 256 KB: it refuses the request, not the entry.
    EventBridgeDeliveryChannel channel = channel(vertx, "\"maxEntryBytes\":1048576");
    deliverOnce(vertx, channel, samples("eb-voice-06-user-start.json", "edge-oversized-attributes.json",
        "eb-multi-01-message-customer-start.json"))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(Outcome.status(200), outcomes.get(0));
          assertEquals(Outcome.status(400, null,
              "ValidationException: Total size of the entries in the request is over the limit."), outcomes.get(1));
          assertEquals(Outcome.status(200), outcomes.get(2));
          assertEquals(List.of(3, 1, 1, 1), emulator.requests().stream().map(r -> r.entries().size()).toList());
          assertEquals(2, emulator.events().size());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatCompletionsHopBackToTheCallersEventLoopContext(Vertx vertx, VertxTestContext ctx) {
    emulator.latency(50);
    EventBridgeDeliveryChannel channel = channel(vertx, "");
    Context context = vertx.getOrCreateContext();
    context.runOnContext(x -> channel.start()
        .compose(v -> channel.deliver(samples("eb-voice-01-customer-start.json")))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertSame(context, Vertx.currentContext());
          assertTrue(Context.isOnEventLoopThread(), Thread.currentThread().getName());
          assertEquals(List.of(Outcome.status(200)), outcomes);
          channel.stop().onComplete(ctx.succeedingThenComplete());
        }))));
  }

  @Test
  void verifiesThatAnUnreachableEndpointIsATransportFailureForEveryEntry(Vertx vertx, VertxTestContext ctx) {
    RefusingPort refusing = new RefusingPort();
    deliverOnce(vertx, channel(vertx, refusing.endpoint(), "", ENV::get),
            samples("eb-voice-01-customer-start.json", "eb-multi-01-message-customer-start.json"))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          refusing.close();
          assertEquals(2, outcomes.size());
          for (Outcome outcome : outcomes) {
            Outcome.TransportFailure failure = assertInstanceOf(Outcome.TransportFailure.class, outcome);
            assertEquals(TransportError.CONNECTION_REFUSED, failure.error(), failure.describe());
          }
          assertEquals(2.0, counter("switchboard.eventbridge.entries.failed", "code", "transport"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatSessionCredentialsAreSentAndMissingOnesFailTheStartByName(Vertx vertx, VertxTestContext ctx) {
    JsonObject json = new JsonObject().put("region", "us-east-1").put("endpoint", emulator.endpoint())
        .put("staticCredentialsFromEnv", new JsonObject().put("accessKeyId", "EB_KEY").put("secretAccessKey", "EB_SECRET")
            .put("sessionToken", "EB_TOKEN"));
    EventBridgeTargetOptions options = EventBridgeTargetOptions.from(new ConfigNode(json, "t"), ENV::get);
    EventBridgeDeliveryChannel withToken = new EventBridgeDeliveryChannel(vertx, "bus", options, ENV::get, registry);
    EventBridgeDeliveryChannel unset = new EventBridgeDeliveryChannel(vertx, "bus", options, name -> null, registry);
    deliverOnce(vertx, withToken, samples("eb-voice-01-customer-start.json"))
        .compose(outcomes -> {
          ctx.verify(() -> {
            assertEquals(List.of(Outcome.status(200)), outcomes);
            EventBridgeEmulator.Request request = emulator.requests().get(0);
            assertEquals("session-token-for-tests", request.headers().get("X-Amz-Security-Token"));
            assertEquals("default", request.entries().get(0).getString("EventBusName"));
          });
          return unset.start();
        })
        .onComplete(ctx.failing(e -> ctx.verify(() -> {
          assertEquals("eventbridge target [bus] cannot start: environment variable EB_KEY is not set or empty",
              e.getMessage());
          assertFalse(e.getMessage().contains("not-a-secret"));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatDeliveringBeforeStartOrAfterStopIsATransportFailureNotAnException(Vertx vertx, VertxTestContext ctx) {
    EventBridgeDeliveryChannel channel = channel(vertx, "");
    List<Delivery> one = samples("eb-voice-01-customer-start.json");
    channel.deliver(one)
        .compose(before -> channel.start().compose(v -> channel.stop()).compose(v -> channel.deliver(one))
            .map(after -> List.of(before.get(0), after.get(0))))
        .onComplete(ctx.succeeding(outcomes -> ctx.verify(() -> {
          assertEquals(Outcome.transport(TransportError.OTHER, "channel not started"), outcomes.get(0));
          assertEquals(Outcome.transport(TransportError.OTHER, "channel stopped"), outcomes.get(1));
          assertEquals(0, emulator.requests().size());
          ctx.completeNow();
        })));
  }
}
