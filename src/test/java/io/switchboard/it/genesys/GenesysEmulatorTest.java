package io.switchboard.it.genesys;

import io.switchboard.it.Eventually;
import io.switchboard.it.Samples;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Verifies that the Genesys Cloud emulator behaves as the facts file says Genesys does, over real HTTP and WebSocket
 * connections on loopback: OAuth, notification channels and subscriptions with their limits, socket delivery,
 * heartbeats and system messages, token expiry, the rate budget, analytics jobs, GET conversation, and the injected
 * failures.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GenesysEmulatorTest {

  private static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  private static final String AGENT = "2a82977a-fb91-4f81-b300-33f719a7ae7a";
  private static final String CHANNELS = "/api/v2/notifications/channels";
  private static final String JOBS = "/api/v2/analytics/conversations/details/jobs";

  private GenesysEmulator emulator;
  private RawGenesysClient client;

  private Future<GenesysEmulator> start(Vertx vertx, EmulatorOptions options) {
    return GenesysEmulator.start(vertx, options).map(e -> {
      emulator = e;
      client = new RawGenesysClient(vertx, e);
      return e;
    });
  }

  /** What a test client holds once connected: its token and a socket subscribed to the topics it asked for. */
  private record Session(String token, RawGenesysClient.Subscribed socket) {
  }

  /** Starts the emulator with {@code options}, takes a token and opens a socket subscribed to {@code topics}. */
  private Future<Session> connected(Vertx vertx, EmulatorOptions options, List<String> topics) {
    return start(vertx, options).compose(e -> client.token())
        .compose(token -> client.subscribedSocket(token, topics).map(socket -> new Session(token, socket)));
  }

  @AfterEach
  void stop(VertxTestContext ctx) {
    if (emulator == null) {
      ctx.completeNow();
    } else {
      emulator.close().onComplete(ctx.succeedingThenComplete());
    }
  }

  private static Future<Void> after(Vertx vertx, long millis) {
    Promise<Void> promise = Promise.promise();
    vertx.setTimer(millis, id -> promise.complete());
    return promise.future();
  }

  private static String detailTopic(String conversationId, String suffix) {
    return "v2.detail.events.conversation." + conversationId + "." + suffix;
  }

  private static void assertErrorBody(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(code, body.getString("code"), r.bodyAsString());
    assertEquals(status, body.getInteger("status"));
    assertNotNull(body.getString("message"));
    assertEquals(r.getHeader("ININ-Correlation-Id"), body.getString("contextId"), "contextId is the correlation id");
  }

  private static void assertRateHeaders(HttpResponse<Buffer> r) {
    assertNotNull(r.getHeader("inin-ratelimit-count"), "inin-ratelimit-count");
    assertNotNull(r.getHeader("inin-ratelimit-allowed"), "inin-ratelimit-allowed");
    assertNotNull(r.getHeader("inin-ratelimit-reset"), "inin-ratelimit-reset");
    assertNotNull(r.getHeader("ININ-Correlation-Id"), "ININ-Correlation-Id");
  }

  @Test
  void verifiesThatClientCredentialsYieldOpaqueTokensAndMistakesGetOAuthErrors(Vertx vertx, VertxTestContext ctx) {
    String form = RawGenesysClient.FORM;
    String grant = "grant_type=client_credentials";
    List<String> tokens = new ArrayList<>();
    start(vertx, EmulatorOptions.defaults())
        .compose(e -> client.tokenRequest(e.clientId(), e.clientSecret(), form, grant))
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("bearer", body.getString("token_type"));
            assertEquals(86_399, body.getInteger("expires_in"));
            assertTrue(body.getString("access_token").length() >= 40);
            assertNotNull(r.getHeader("ININ-Correlation-Id"));
            tokens.add(body.getString("access_token"));
          });
          return client.tokenRequest(emulator.clientId(), emulator.clientSecret(), form, grant);
        })
        .compose(r -> {
          ctx.verify(() -> assertNotEquals(tokens.get(0), r.bodyAsJsonObject().getString("access_token")));
          return client.tokenRequest(emulator.clientId(), "wrong", form, grant);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(401, r.statusCode());
            JsonObject body = r.bodyAsJsonObject();
            assertEquals("invalid_client", body.getString("error"));
            assertNotNull(body.getString("description"));
            assertEquals(body.getString("description"), body.getString("error_description"));
          });
          return client.tokenRequest(emulator.clientId(), emulator.clientSecret(), "application/json",
              "{\"grant_type\":\"client_credentials\"}");
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals("invalid_request", r.bodyAsJsonObject().getString("error")));
          return client.tokenRequest(emulator.clientId(), emulator.clientSecret(), form, "grant_type=password");
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(400, r.statusCode());
            assertEquals("unsupported_grant_type", r.bodyAsJsonObject().getString("error"));
          });
          return client.tokenRequest(null, null, form, grant);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(401, r.statusCode()));
          return emulator.disableClient(emulator.clientId(), true)
              .compose(v -> client.tokenRequest(emulator.clientId(), emulator.clientSecret(), form, grant));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(400, r.statusCode());
            assertEquals("unauthorized_client", r.bodyAsJsonObject().getString("error"));
          });
          return client.get(CHANNELS, null);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertErrorBody(r, 401, "bad.credentials");
            assertRateHeaders(r);
          });
          return client.get(CHANNELS, "not-a-token");
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 401, "bad.credentials"));
          return client.get(CHANNELS, tokens.get(0)); // tokens issued before the client was disabled still work
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), r.bodyAsString());
          assertRateHeaders(r);
          List<RequestLog.Entry> logins = emulator.requests().matching("POST", "/oauth/token");
          assertEquals(7, logins.size());
          assertEquals(emulator.clientId(), logins.get(0).clientId());
          assertEquals(200, logins.get(0).status());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatSubscriptionsArePermittedOrRejectedAndLimitedToAThousandTopics(Vertx vertx, VertxTestContext ctx) {
    String queueTopic = "v2.routing.queues." + QUEUE + ".conversations";
    String userTopic = "v2.users." + AGENT + ".conversations";
    String detail = detailTopic(UUID.randomUUID().toString(), "acd.start");
    List<String> thousandAndOne = IntStream.range(0, 1001).mapToObj(i -> "v2.routing.queues.q" + i + ".conversations")
        .toList();
    String[] token = new String[1];
    JsonObject[] channel = new JsonObject[1];
    long created = System.currentTimeMillis();
    start(vertx, EmulatorOptions.builder().rejectTopics("v2.users.", "conversation:communication:view").build())
        .compose(e -> client.token())
        .compose(t -> {
          token[0] = t;
          return client.createChannel(t);
        })
        .compose(ch -> {
          channel[0] = ch;
          ctx.verify(() -> {
            String id = ch.getString("id");
            assertTrue(id.startsWith("streaming-"), id);
            assertEquals("ws://127.0.0.1:" + emulator.port() + "/channels/" + id, ch.getString("connectUri"));
            long expires = Instant.parse(ch.getString("expires")).toEpochMilli();
            assertTrue(Math.abs(expires - created - Duration.ofHours(24).toMillis()) < 60_000, "a 24 h channel");
          });
          return client.subscribe(token[0], id(channel), HttpMethod.PUT, List.of(queueTopic, userTopic), false);
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request")); // strict: no ignoreErrors, nothing changed
          return client.get(CHANNELS + "/" + id(channel) + "/subscriptions", token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(0, r.bodyAsJsonObject().getJsonArray("entities").size()));
          return client.subscribe(token[0], id(channel), HttpMethod.PUT, List.of(queueTopic, userTopic), true);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonArray entities = r.bodyAsJsonObject().getJsonArray("entities");
            assertEquals(2, entities.size());
            JsonObject permitted = entities.getJsonObject(0);
            assertEquals(queueTopic, permitted.getString("id"));
            assertEquals("Permitted", permitted.getString("state"));
            assertEquals(CHANNELS + "/" + id(channel) + "/subscriptions", permitted.getString("selfUri"));
            JsonObject rejected = entities.getJsonObject(1);
            assertEquals(userTopic, rejected.getString("id"));
            assertEquals("Rejected", rejected.getString("state"));
            assertEquals("Missing permissions", rejected.getString("rejectionReason"));
            assertEquals(new JsonArray().add("conversation:communication:view"), rejected.getJsonArray("missingPermissions"));
          });
          return client.subscribe(token[0], id(channel), HttpMethod.POST, List.of(detail), false);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(List.of(queueTopic, detail), ids(r)));
          return client.subscribe(token[0], id(channel), HttpMethod.PUT, thousandAndOne, false);
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request"));
          return client.get(CHANNELS + "/" + id(channel) + "/subscriptions", token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(List.of(queueTopic, detail), ids(r), "a refused request changes nothing"));
          return client.subscribe(token[0], id(channel), HttpMethod.PUT, thousandAndOne.subList(0, 1000), false);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(1000, ids(r).size()));
          return client.subscribe(token[0], id(channel), HttpMethod.POST, List.of(detail), false);
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request")); // appending a 1,001st topic
          return client.api(HttpMethod.DELETE, CHANNELS + "/" + id(channel) + "/subscriptions", token[0]).send();
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(204, r.statusCode()));
          return client.get(CHANNELS + "/" + id(channel) + "/subscriptions", token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(List.of(), ids(r)));
          return client.api(HttpMethod.HEAD, CHANNELS + "/" + id(channel), token[0]).send();
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode()));
          return client.api(HttpMethod.HEAD, CHANNELS + "/streaming-0-unknown", token[0]).send();
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(404, r.statusCode());
          ctx.completeNow();
        })));
  }

  private static String id(JsonObject[] channel) {
    return channel[0].getString("id");
  }

  private static List<String> ids(HttpResponse<Buffer> r) {
    assertEquals(200, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getJsonArray("entities").stream().map(e -> ((JsonObject) e).getString("id")).toList();
  }

  @Test
  void verifiesThatThe21stChannelRemovesTheLeastRecentlyUsedUnconnectedOne(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    List<JsonObject> channels = new ArrayList<>();
    start(vertx, EmulatorOptions.defaults())
        .compose(e -> client.token())
        .compose(t -> {
          token[0] = t;
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < 20; i++) {
            chain = chain.compose(v -> client.createChannel(t).map(ch -> {
              channels.add(ch);
              return null;
            }));
          }
          return chain;
        })
        // Channel 1 gets a socket, then channels 2..20 are used after it: channel 1 is the least recently used but
        // connected, channel 2 the least recently used unconnected one.
        .compose(v -> client.connect(channels.get(0).getString("connectUri")))
        .compose(probe -> {
          Future<Void> chain = Future.succeededFuture();
          for (JsonObject ch : channels.subList(1, 20)) {
            chain = chain.compose(v -> client.subscribe(token[0], ch.getString("id"), HttpMethod.PUT,
                List.of("v2.users." + AGENT + ".conversations"), false).mapEmpty());
          }
          return chain;
        })
        .compose(v -> client.createChannel(token[0]))
        .compose(c21 -> {
          channels.add(c21);
          return Future.all(List.of(head(token[0], channels.get(0)), head(token[0], channels.get(1)),
              head(token[0], channels.get(2)), head(token[0], c21)));
        })
        .compose(heads -> {
          ctx.verify(() -> assertEquals(List.of(200, 404, 200, 200), heads.list()));
          return emulator.channelIds();
        })
        .onComplete(ctx.succeeding(ids -> ctx.verify(() -> {
          assertEquals(20, ids.size());
          assertFalse(ids.contains(channels.get(1).getString("id")));
          ctx.completeNow();
        })));
  }

  private Future<Integer> head(String token, JsonObject channel) {
    return client.api(HttpMethod.HEAD, CHANNELS + "/" + channel.getString("id"), token).send()
        .map(HttpResponse::statusCode);
  }

  @Test
  void verifiesThatASocketGetsSubscribedDetailEventsHeartbeatsAndPongs(Vertx vertx, VertxTestContext ctx) {
    String conversation = UUID.randomUUID().toString();
    Instant t0 = Instant.parse("2025-03-11T14:02:07.412Z");
    VoiceCall[] call = new VoiceCall[1];
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    connected(vertx, EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(200)).build(),
        List.of(detailTopic(conversation, "customer.start")))
        .map(Session::socket)
        .compose(s -> {
          socket[0] = s;
          call[0] = emulator.conversations().voice(VoiceSpec.of(conversation, QUEUE, AGENT)
              .withExternalContactId("26c40b5b-f419-4131-8fa5-9f22d06a63b3")).customerStart(t0).flowStart(t0.plusMillis(140));
          return call[0].done();
        })
        .compose(v -> socket[0].probe().first(detailTopic(conversation, "customer.start")))
        .compose(message -> {
          ctx.verify(() -> {
            assertEquals("2", message.getString("version"));
            assertNotNull(UUID.fromString(message.getJsonObject("metadata").getString("CorrelationId")));
            assertFalse(message.containsKey("timestamp"), "no envelope timestamp on a socket");
            JsonObject body = message.getJsonObject("eventBody");
            assertEquals(t0.toEpochMilli(), body.getLong("eventTime"));
            assertEquals(conversation, body.getString("conversationId"));
            assertEquals(call[0].participantId("customer"), body.getString("participantId"));
            assertEquals(call[0].sessionId("customer"), body.getString("sessionId"));
            assertEquals("VOICE", body.getString("mediaType"));
            assertEquals("INBOUND", body.getString("direction"));
            assertEquals("tel:+15551230001", body.getString("ani"));
            assertEquals(new JsonArray().add("26c40b5b-f419-4131-8fa5-9f22d06a63b3"),
                body.getJsonArray("conversationExternalContactIds"));
          });
          return socket[0].probe().await(SocketProbe::isHeartbeat, 4);
        })
        .compose(heartbeats -> {
          ctx.verify(() -> {
            assertEquals(Samples.json("ws-msg-heartbeat.json"), heartbeats.get(0).message());
            List<Long> sentAt = emulator.sockets().sent(socket[0].channelId()).stream()
                .filter(s -> s.topicName().equals("channel.metadata")).map(SocketLog.Sent::at).toList();
            double mean = (sentAt.get(3) - sentAt.get(0)) / 3.0;
            assertTrue(mean >= 180 && mean <= 400, "heartbeats every ~200 ms, measured " + mean);
            // Only the subscribed topic was delivered: flow.start was published to nobody.
            assertEquals(0, socket[0].probe().onTopic(detailTopic(conversation, "flow.start")).size());
          });
          return socket[0].probe().send("{\"message\":\"ping\"}");
        })
        .compose(v -> socket[0].probe().await(m -> "pong".equals(m.getJsonObject("eventBody").getString("message")), 1))
        .onComplete(ctx.succeeding(pong -> ctx.verify(() -> {
          assertEquals("channel.metadata", pong.get(0).topic());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatStoppedHeartbeatsStopOnlyThatSocket(Vertx vertx, VertxTestContext ctx) {
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    long[] countWhenStopped = new long[1];
    connected(vertx, EmulatorOptions.builder().heartbeatInterval(Duration.ofMillis(100)).build(),
        List.of("v2.users." + AGENT + ".conversations"))
        .map(Session::socket)
        .compose(s -> {
          socket[0] = s;
          return s.probe().await(SocketProbe::isHeartbeat, 2);
        })
        .compose(v -> emulator.stopHeartbeats(socket[0].channelId()))
        .compose(stopped -> {
          ctx.verify(() -> assertEquals(1, stopped));
          countWhenStopped[0] = emulator.sockets().sentCount(socket[0].channelId(), "channel.metadata");
          return after(vertx, 600);
        })
        .compose(v -> {
          ctx.verify(() -> assertEquals(countWhenStopped[0],
              emulator.sockets().sentCount(socket[0].channelId(), "channel.metadata"), "no heartbeat after the stop"));
          return client.connect(socket[0].connectUri()); // a new socket on the channel gets heartbeats again
        })
        .compose(fresh -> fresh.await(SocketProbe::isHeartbeat, 2))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatACallEmitsQueueAndUserSnapshotsAndShowsAsARestConversation(Vertx vertx, VertxTestContext ctx) {
    String conversation = UUID.randomUUID().toString();
    String queueTopic = "v2.routing.queues." + QUEUE + ".conversations";
    String userTopic = "v2.users." + AGENT + ".conversations";
    Instant t0 = Instant.parse("2025-03-11T14:02:07.412Z");
    String[] token = new String[1];
    VoiceCall[] call = new VoiceCall[1];
    SocketProbe[] probe = new SocketProbe[1];
    start(vertx, EmulatorOptions.defaults())
        .compose(e -> client.token())
        .compose(t -> {
          token[0] = t;
          return client.subscribedSocket(t, List.of(queueTopic, userTopic, detailTopic(conversation, "acd.end")));
        })
        .compose(s -> {
          probe[0] = s.probe();
          call[0] = emulator.conversations().voice(conversation, QUEUE, AGENT).customerStart(t0)
              .flowStart(t0.plusMillis(140)).flowEnd(t0.plusMillis(21_480)).acdStart(t0.plusMillis(21_610))
              .agentAlerting(t0.plusMillis(63_717)).agentConnected(t0.plusMillis(68_102));
          return call[0].done();
        })
        .compose(v -> Future.all(probe[0].await(m -> queueTopic.equals(m.getString("topicName")), 3),
            probe[0].await(m -> userTopic.equals(m.getString("topicName")), 2),
            probe[0].first(detailTopic(conversation, "acd.end"))))
        .compose(all -> {
          ctx.verify(() -> {
            List<SocketProbe.Received> queue = all.resultAt(0);
            JsonObject inQueue = queue.get(0).message().getJsonObject("eventBody");
            assertEquals(List.of("customer", "ivr", "acd"), purposes(inQueue));
            JsonObject connected = queue.get(2).message().getJsonObject("eventBody");
            assertEquals(conversation, connected.getString("id"));
            assertEquals(List.of("customer", "ivr", "acd", "agent"), purposes(connected));
            assertEquals(List.of("connected", "disconnected", "disconnected", "connected"), callStates(connected));
            assertEquals("transfer", call(connected, 2).getString("disconnectType"));
            assertEquals("active", connected.getString("recordingState"));
            assertEquals(QUEUE, participant(connected, 2).getJsonObject("conversationRoutingData")
                .getJsonObject("queue").getString("id"));
            List<SocketProbe.Received> user = all.resultAt(1);
            assertEquals("alerting", callStates(user.get(0).message().getJsonObject("eventBody")).get(3));
            JsonObject acdEnd = ((JsonObject) all.resultAt(2)).getJsonObject("eventBody");
            assertEquals("ANSWERED", acdEnd.getString("acdOutcome"));
            assertEquals(AGENT, acdEnd.getString("answeredUserId"));
            assertEquals("TRANSFER", acdEnd.getString("disconnectType"));
            assertEquals(46_492, acdEnd.getLong("connectedDurationMs"));
          });
          return client.get("/api/v2/conversations/" + conversation, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(200, r.statusCode(), r.bodyAsString());
            JsonObject rest = r.bodyAsJsonObject();
            assertFalse(rest.containsKey("endTime"), "an active conversation has no endTime");
            assertEquals("ACTIVE", rest.getString("recordingState"));
            assertEquals(4, rest.getJsonArray("participants").size());
          });
          return call[0].customerHangsUp(t0.plusMillis(412_030))
              .wrapup(t0.plusMillis(455_102), "38b3e5ca-d594-4b8f-8c91-53f271079c7d", "Resolved - Refund", "done")
              .done().compose(v -> client.get("/api/v2/conversations/" + conversation, token[0]));
        })
        .compose(r -> {
          ctx.verify(() -> {
            JsonObject rest = r.bodyAsJsonObject();
            JsonObject sample = Samples.json("api-get-conversation-voice-ended.json");
            assertEquals(sample.getString("endTime"), rest.getString("endTime"));
            assertEquals(sample.getString("startTime"), rest.getString("startTime"));
            assertEquals(sample.fieldNames(), rest.fieldNames(), "the sample's top-level fields");
            assertEquals(List.of("terminated", "terminated", "terminated", "terminated"), callStates(rest));
            JsonObject agent = participant(rest, 3);
            assertEquals(sample.getJsonArray("participants").getJsonObject(3).fieldNames(), agent.fieldNames());
            assertEquals("Resolved - Refund", agent.getJsonObject("wrapup").getString("name"));
            assertEquals(43, agent.getJsonObject("wrapup").getInteger("durationSeconds"));
            assertEquals("complete", call(rest, 3).getJsonObject("afterCallWork").getString("state"));
            assertEquals("External", participant(rest, 0).getString("participantType"));
            assertEquals("/api/v2/conversations/" + conversation, rest.getString("selfUri"));
          });
          return client.get("/api/v2/conversations/" + UUID.randomUUID(), token[0]);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertErrorBody(r, 404, "not.found");
          ctx.completeNow();
        })));
  }

  private static JsonObject participant(JsonObject conversation, int index) {
    return conversation.getJsonArray("participants").getJsonObject(index);
  }

  private static JsonObject call(JsonObject conversation, int index) {
    return participant(conversation, index).getJsonArray("calls").getJsonObject(0);
  }

  private static List<String> purposes(JsonObject conversation) {
    return conversation.getJsonArray("participants").stream().map(p -> ((JsonObject) p).getString("purpose")).toList();
  }

  private static List<String> callStates(JsonObject conversation) {
    return IntStream.range(0, conversation.getJsonArray("participants").size())
        .mapToObj(i -> call(conversation, i).getString("state")).toList();
  }

  @Test
  void verifiesThatASecondSocketOnAChannelDisconnectsTheFirstAfterOpening(Vertx vertx, VertxTestContext ctx) {
    String topic = "v2.users." + AGENT + ".conversations";
    RawGenesysClient.Subscribed[] first = new RawGenesysClient.Subscribed[1];
    SocketProbe[] second = new SocketProbe[1];
    start(vertx, EmulatorOptions.defaults())
        .compose(e -> client.token())
        .compose(t -> client.subscribedSocket(t, List.of(topic)))
        .compose(s -> {
          first[0] = s;
          return client.connect(s.connectUri());
        })
        .compose(probe -> {
          second[0] = probe;
          return first[0].probe().closed();
        })
        .compose(v -> emulator.publish(topic, new JsonObject().put("id", "x")))
        .compose(delivered -> {
          ctx.verify(() -> assertEquals(1, delivered));
          return second[0].first(topic);
        })
        .onComplete(ctx.succeeding(message -> ctx.verify(() -> {
          List<SocketLog.Event> events = emulator.sockets().events(first[0].channelId());
          assertEquals(List.of(SocketLog.Kind.OPENED, SocketLog.Kind.OPENED, SocketLog.Kind.CLOSED),
              events.stream().map(SocketLog.Event::kind).toList());
          assertEquals(events.get(0).socket(), events.get(2).socket(), "the first socket is the one closed");
          assertEquals("replaced", events.get(2).cause());
          assertTrue(events.get(1).at() <= events.get(2).at(), "the new socket opened before the old one closed");
          assertEquals(0, first[0].probe().onTopic(topic).size());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatSocketClosingIsFollowedByACloseAfterTheDelay(Vertx vertx, VertxTestContext ctx) {
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    long[] warnedAt = new long[1];
    connected(vertx, EmulatorOptions.builder().socketClosingDelay(Duration.ofMillis(400)).build(),
        List.of("v2.users." + AGENT + ".conversations"))
        .map(Session::socket)
        .compose(s -> {
          socket[0] = s;
          return emulator.sendSocketClosing(s.channelId());
        })
        .compose(n -> socket[0].probe().await(m -> "v2.system.socket_closing".equals(m.getString("topicName")), 1))
        .compose(warning -> {
          warnedAt[0] = warning.get(0).at();
          ctx.verify(() -> {
            JsonObject message = warning.get(0).message();
            JsonObject sample = Samples.json("ws-msg-system-socket-closing.json");
            assertEquals(sample.fieldNames(), message.fieldNames());
            assertEquals(sample.getJsonObject("eventBody").fieldNames(), message.getJsonObject("eventBody").fieldNames());
            assertTrue(socket[0].probe().closedAt() < 0, "still open right after the warning");
          });
          return socket[0].probe().closed();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertTrue(socket[0].probe().closedAt() >= warnedAt[0]);
          assertEquals((short) 1001, socket[0].probe().closeStatus());
          // Measured on the server's side, where the delay is applied (arrival times add the client's jitter).
          long warningSent = emulator.sockets().sent(socket[0].channelId()).stream()
              .filter(m -> m.topicName().equals("v2.system.socket_closing")).findFirst().orElseThrow().at();
          List<SocketLog.Event> events = emulator.sockets().events(socket[0].channelId());
          SocketLog.Event closed = events.get(events.size() - 1);
          assertEquals("socket_closing", closed.cause());
          assertTrue(closed.at() - warningSent >= 390, "closed " + (closed.at() - warningSent) + " ms after the warning");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatADroppedSocketEndsWithoutACloseFrame(Vertx vertx, VertxTestContext ctx) {
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    connected(vertx, EmulatorOptions.defaults(), List.of("v2.users." + AGENT + ".conversations"))
        .map(Session::socket)
        .compose(s -> {
          socket[0] = s;
          return emulator.dropSockets(s.channelId());
        })
        .compose(dropped -> {
          ctx.verify(() -> assertEquals(1, dropped));
          return socket[0].probe().closed();
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals((short) 1006, socket[0].probe().closeStatus(), "abnormal closure: no close frame");
          SocketLog.Event closed = emulator.sockets().events(socket[0].channelId()).get(1);
          assertEquals("dropped", closed.cause());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatNoLongerSubscribedDropsTheChannelsTopics(Vertx vertx, VertxTestContext ctx) {
    String topic = "v2.users." + AGENT + ".conversations";
    String[] token = new String[1];
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    connected(vertx, EmulatorOptions.defaults(), List.of(topic))
        .compose(session -> {
          token[0] = session.token();
          socket[0] = session.socket();
          return emulator.sendNoLongerSubscribed(socket[0].channelId());
        })
        .compose(found -> socket[0].probe().first("v2.system.no_longer_subscribed." + socket[0].channelId()))
        .compose(message -> {
          ctx.verify(() -> {
            JsonObject body = message.getJsonObject("eventBody");
            assertEquals("no_longer_subscribed", body.getString("systemTopicType"));
            assertEquals(socket[0].channelId(), body.getString("channelId"));
            assertEquals(emulator.clientId(), body.getString("oauthClientId"));
          });
          return emulator.publish(topic, new JsonObject());
        })
        .compose(delivered -> {
          ctx.verify(() -> assertEquals(0, delivered));
          return client.get(CHANNELS + "/" + socket[0].channelId() + "/subscriptions", token[0]);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(List.of(), ids(r));
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatAChannelExpiresUnlessResubscribed(Vertx vertx, VertxTestContext ctx) {
    String topic = "v2.users." + AGENT + ".conversations";
    String[] token = new String[1];
    RawGenesysClient.Subscribed[] expiring = new RawGenesysClient.Subscribed[1];
    JsonObject[] kept = new JsonObject[1];
    connected(vertx, EmulatorOptions.builder().channelLifetime(Duration.ofMillis(1000)).build(), List.of(topic))
        .compose(session -> {
          token[0] = session.token();
          expiring[0] = session.socket();
          return client.createChannel(token[0]);
        })
        .compose(ch -> {
          kept[0] = ch;
          return after(vertx, 600);
        })
        .compose(v -> client.subscribe(token[0], kept[0].getString("id"), HttpMethod.PUT, List.of(topic), false))
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode()));
          return expiring[0].probe().closed();
        })
        .compose(v -> Future.all(head(token[0], new JsonObject().put("id", expiring[0].channelId())), head(token[0], kept[0])))
        .onComplete(ctx.succeeding(heads -> ctx.verify(() -> {
          assertEquals(List.of(404, 200), heads.list(), "the expired channel is gone, the resubscribed one lives on");
          List<SocketLog.Event> events = emulator.sockets().events(expiring[0].channelId());
          assertEquals("expired", events.get(events.size() - 1).cause());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatTokensExpireByLifetimeAndOnDemand(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    start(vertx, EmulatorOptions.builder().tokenLifetime(Duration.ofSeconds(1)).build())
        .compose(e -> client.tokenRequest(e.clientId(), e.clientSecret(), RawGenesysClient.FORM,
            "grant_type=client_credentials"))
        .compose(r -> {
          ctx.verify(() -> assertEquals(1, r.bodyAsJsonObject().getInteger("expires_in")));
          token[0] = r.bodyAsJsonObject().getString("access_token");
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode()));
          return after(vertx, 1100).compose(v -> client.get(CHANNELS, token[0]));
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 401, "bad.credentials"));
          return client.token();
        })
        .compose(fresh -> {
          token[0] = fresh;
          return emulator.expireAllTokens();
        })
        .compose(expired -> {
          ctx.verify(() -> assertEquals(1, expired));
          return client.get(CHANNELS, token[0]);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertErrorBody(r, 401, "bad.credentials");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatARevokedTokensSocketsHearTokenRevokedAndItsCallsGet401(Vertx vertx, VertxTestContext ctx) {
    String topic = "v2.users." + AGENT + ".conversations";
    String[] token = new String[1];
    RawGenesysClient.Subscribed[] socket = new RawGenesysClient.Subscribed[1];
    connected(vertx, EmulatorOptions.defaults(), List.of(topic))
        .compose(session -> {
          token[0] = session.token();
          socket[0] = session.socket();
          return emulator.revokeToken(token[0]);
        })
        .compose(revoked -> {
          ctx.verify(() -> assertTrue(revoked));
          return socket[0].probe().first("v2.system.token_revoked." + socket[0].channelId());
        })
        .compose(message -> {
          ctx.verify(() -> {
            assertEquals("token_revoked", message.getJsonObject("eventBody").getString("systemTopicType"));
            assertEquals("user_tokens_revoked", message.getJsonObject("eventBody").getString("reason"));
          });
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 401, "bad.credentials"));
          return emulator.publish(topic, new JsonObject());
        })
        .onComplete(ctx.succeeding(delivered -> ctx.verify(() -> {
          assertEquals(0, delivered);
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatTheRateBudgetAnswers429WithRetryAfterAndRateHeaders(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    List<HttpResponse<Buffer>> answers = new ArrayList<>();
    start(vertx, EmulatorOptions.builder().rateLimit(5, Duration.ofSeconds(3)).build())
        .compose(e -> client.token())
        .compose(t -> {
          token[0] = t;
          Future<Void> chain = Future.succeededFuture();
          for (int i = 0; i < 6; i++) {
            chain = chain.compose(v -> client.get(CHANNELS, t).map(r -> {
              answers.add(r);
              return null;
            }));
          }
          return chain;
        })
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          for (int i = 0; i < 5; i++) {
            HttpResponse<Buffer> r = answers.get(i);
            assertEquals(200, r.statusCode());
            assertEquals(Integer.toString(i + 1), r.getHeader("inin-ratelimit-count"));
            assertEquals("5", r.getHeader("inin-ratelimit-allowed"));
            int reset = Integer.parseInt(r.getHeader("inin-ratelimit-reset"));
            assertTrue(reset >= 1 && reset <= 3, "reset " + reset);
          }
          HttpResponse<Buffer> refused = answers.get(5);
          assertErrorBody(refused, 429, "too.many.requests.retry.after");
          assertRateHeaders(refused);
          int retryAfter = Integer.parseInt(refused.getHeader("Retry-After"));
          assertTrue(retryAfter >= 1 && retryAfter <= 3, "Retry-After " + retryAfter);
          assertTrue(refused.bodyAsJsonObject().getString("message").contains("[" + retryAfter + "]"));
          assertEquals(Samples.json("api-error-429-rate-limited.json").fieldNames(), refused.bodyAsJsonObject().fieldNames());
          assertEquals(1, emulator.requests().tooManyRequests());
          assertEquals(6, emulator.requests().requestsPerWindow(token[0], 3000));
          assertEquals(6, emulator.requests().byToken(token[0]).size());
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatInjectedFaultsDelaysAndStormsApply(Vertx vertx, VertxTestContext ctx) {
    String[] token = new String[1];
    long[] startedAt = new long[1];
    start(vertx, EmulatorOptions.defaults())
        .compose(e -> client.token())
        .compose(t -> {
          token[0] = t;
          return emulator.failNext(2, Fault.serverError(503));
        })
        .compose(v -> client.get(CHANNELS, token[0]))
        .compose(r -> {
          ctx.verify(() -> {
            assertErrorBody(r, 503, "service.unavailable");
            assertRateHeaders(r);
          });
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(503, r.statusCode()));
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(200, r.statusCode(), "only the next two"));
          return emulator.failNext(1, Fault.tooManyRequests(7)).compose(v -> client.get(CHANNELS, token[0]));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertErrorBody(r, 429, "too.many.requests.retry.after");
            assertEquals("7", r.getHeader("Retry-After"));
          });
          return emulator.failNext(1, "/oauth/token", Fault.unauthorized()).compose(v -> client.tokenRequest(
              emulator.clientId(), emulator.clientSecret(), RawGenesysClient.FORM, "grant_type=client_credentials"));
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(401, r.statusCode());
            assertEquals("invalid_client", r.bodyAsJsonObject().getString("error"));
          });
          return emulator.failNext(1, Fault.unauthorized()).compose(v -> client.get(CHANNELS, token[0]));
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 401, "bad.credentials"));
          return emulator.delay("/api/v2/conversations", Duration.ofMillis(300));
        })
        .compose(v -> {
          startedAt[0] = System.currentTimeMillis();
          return client.get("/api/v2/conversations/" + UUID.randomUUID(), token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals(404, r.statusCode());
            assertTrue(System.currentTimeMillis() - startedAt[0] >= 300, "the answer came late");
          });
          return emulator.tooManyRequestsStorm(Duration.ofMillis(400), 2).compose(v -> client.get(CHANNELS, token[0]));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals("2", r.getHeader("Retry-After")));
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(429, r.statusCode(), "the storm goes on"));
          return after(vertx, 500).compose(v -> client.get(CHANNELS, token[0]));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(200, r.statusCode(), "the storm is over");
          assertEquals(3, emulator.requests().tooManyRequests(), "one injected, two in the storm");
          ctx.completeNow();
        })));
  }

  @Test
  void verifiesThatADetailsJobGoesFromQueuedToFulfilledAndPagesToTheEnd(Vertx vertx, VertxTestContext ctx) {
    String answered = UUID.randomUUID().toString();
    String abandoned = UUID.randomUUID().toString();
    String nextDay = UUID.randomUUID().toString();
    JsonObject sampleRecord = Samples.json("api-analytics-details-job-results-page.json").getJsonArray("conversations")
        .getJsonObject(0);
    String[] token = new String[1];
    String[] job = new String[1];
    List<JsonObject> pages = new ArrayList<>();
    start(vertx, EmulatorOptions.builder().jobTiming(Duration.ofMillis(300), Duration.ZERO).build())
        .compose(e -> Future.all(
            e.conversations().voice(answered, QUEUE, AGENT).answered(Instant.parse("2025-03-11T09:00:00Z")).done(),
            e.conversations().voice(abandoned, QUEUE, AGENT).abandoned(Instant.parse("2025-03-11T23:59:00Z")).done(),
            e.conversations().voice(nextDay, QUEUE, AGENT).answered(Instant.parse("2025-03-12T00:00:01Z")).done(),
            e.conversations().put(Samples.json("api-get-conversation-voice-ended.json"), sampleRecord)))
        .compose(v -> client.token())
        .compose(t -> {
          token[0] = t;
          return client.api(HttpMethod.POST, JOBS, t).sendJsonObject(new JsonObject().put("order", "asc"));
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request"));
          return client.api(HttpMethod.POST, JOBS, token[0]).sendJsonObject(new JsonObject().put("interval", "yesterday"));
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request"));
          return client.api(HttpMethod.POST, JOBS, token[0]).sendJsonObject(
              new JsonObject().put("interval", "2025-03-11T00:00:00.000Z/2025-03-12T00:00:00.000Z"));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(202, r.statusCode(), r.bodyAsString()));
          job[0] = r.bodyAsJsonObject().getString("jobId");
          return client.get(JOBS + "/" + job[0], token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> {
            assertEquals("QUEUED", r.bodyAsJsonObject().getString("state"));
            assertNotNull(r.bodyAsJsonObject().getString("submissionDate"));
          });
          return client.get(JOBS + "/" + job[0] + "/results", token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertErrorBody(r, 400, "bad.request")); // no results before FULFILLED
          return Eventually.poll(vertx, 5000, () -> client.get(JOBS + "/" + job[0], token[0])
              .map(s -> "FULFILLED".equals(s.bodyAsJsonObject().getString("state"))));
        })
        .compose(v -> client.get(JOBS + "/" + job[0], token[0]))
        .compose(r -> {
          ctx.verify(() -> assertEquals(Samples.json("api-analytics-details-job-status-fulfilled.json").fieldNames(),
              r.bodyAsJsonObject().fieldNames()));
          return page(job[0], token[0], null, pages);
        })
        .compose(v -> client.api(HttpMethod.DELETE, JOBS + "/" + job[0], token[0]).send())
        .compose(r -> {
          ctx.verify(() -> assertEquals(204, r.statusCode()));
          return client.get(JOBS + "/" + job[0], token[0]);
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertErrorBody(r, 404, "not.found");
          assertEquals(3, pages.size(), "pageSize=1 over three conversations");
          assertTrue(pages.get(0).containsKey("cursor") && pages.get(1).containsKey("cursor"));
          assertFalse(pages.get(2).containsKey("cursor"), "no cursor on the last page");
          assertNotNull(pages.get(2).getString("dataAvailabilityDate"));
          List<String> ids = pages.stream().map(p -> p.getJsonArray("conversations").getJsonObject(0)
              .getString("conversationId")).toList();
          assertEquals(List.of(answered, Samples.VOICE_ID, abandoned), ids, "activity in the interval, oldest first");
          JsonObject record = pages.get(0).getJsonArray("conversations").getJsonObject(0);
          Set<String> sampleFields = new HashSet<>(sampleRecord.fieldNames());
          sampleFields.remove("mediaStatsMinConversationMos"); // a media-quality metric the model has no data for
          assertEquals(sampleFields, record.fieldNames());
          assertEquals(List.of("customer", "ivr", "acd", "agent"), record.getJsonArray("participants").stream()
              .map(p -> ((JsonObject) p).getString("purpose")).toList());
          JsonObject agentSession = record.getJsonArray("participants").getJsonObject(3).getJsonArray("sessions")
              .getJsonObject(0);
          assertEquals("voice", agentSession.getString("mediaType"));
          assertEquals(List.of("alert", "interact", "wrapup"), agentSession.getJsonArray("segments").stream()
              .map(s -> ((JsonObject) s).getString("segmentType")).toList());
          JsonObject acdSession = record.getJsonArray("participants").getJsonObject(2).getJsonArray("sessions")
              .getJsonObject(0);
          assertEquals("Standard", acdSession.getString("usedRouting"));
          assertEquals(46_492, acdSession.getJsonArray("metrics").getJsonObject(0).getLong("value"));
          ctx.completeNow();
        })));
  }

  /** Follows the cursors with pageSize=1, collecting every page. */
  private Future<Void> page(String job, String token, String cursor, List<JsonObject> pages) {
    String query = "?pageSize=1" + (cursor == null ? "" : "&cursor=" + cursor);
    return client.get(JOBS + "/" + job + "/results" + query, token).compose(r -> {
      if (r.statusCode() != 200) {
        return Future.failedFuture("results answered " + r.statusCode() + ": " + r.bodyAsString());
      }
      JsonObject body = r.bodyAsJsonObject();
      pages.add(body);
      String next = body.getString("cursor");
      return next == null || pages.size() > 10 ? Future.succeededFuture() : page(job, token, next, pages);
    });
  }

  @Test
  void verifiesThatTheControlEndpointsInjectFaultsAndPublish(Vertx vertx, VertxTestContext ctx) {
    String topic = "v2.users." + AGENT + ".conversations";
    String[] token = new String[1];
    SocketProbe[] probe = new SocketProbe[1];
    connected(vertx, EmulatorOptions.defaults(), List.of(topic))
        .compose(session -> {
          token[0] = session.token();
          probe[0] = session.socket().probe();
          return client.control("/faults", new JsonObject().put("status", 503).put("count", 1));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(204, r.statusCode(), r.bodyAsString()));
          return client.get(CHANNELS, token[0]);
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(503, r.statusCode()));
          return client.control("/publish", new JsonObject().put("topic", topic)
              .put("eventBody", new JsonObject().put("id", "c1")));
        })
        .compose(r -> {
          ctx.verify(() -> assertEquals(1, r.bodyAsJsonObject().getInteger("delivered")));
          return probe[0].first(topic);
        })
        .compose(message -> {
          ctx.verify(() -> assertEquals("c1", message.getJsonObject("eventBody").getString("id")));
          return client.control("/faults", new JsonObject().put("count", 1));
        })
        .onComplete(ctx.succeeding(r -> ctx.verify(() -> {
          assertEquals(400, r.statusCode(), "status is required");
          assertNull(emulator.requests().all().stream().filter(e -> e.path().startsWith("/_emulator")).findAny()
              .orElse(null), "control calls are not Genesys requests");
          ctx.completeNow();
        })));
  }
}
