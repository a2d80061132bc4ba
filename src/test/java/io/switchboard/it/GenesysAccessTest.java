package io.switchboard.it;

import io.switchboard.bus.Addresses;
import io.switchboard.config.GenesysConfig;
import io.switchboard.genesys.GenesysApi;
import io.switchboard.genesys.GenesysHosts;
import io.switchboard.it.genesys.EmulatorOptions;
import io.switchboard.it.genesys.Fault;
import io.switchboard.it.genesys.GenesysEmulator;
import io.switchboard.it.genesys.RequestLog;
import io.switchboard.verticles.GenesysAccessVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node's Genesys access owner and its API client against the emulator: one token fetch however many callers
 * wait for it, renewal before expiry, a 401 answered by a new token and one retry, a 429 waited out for its
 * Retry-After, and a wrong secret that fails calls without hammering the login service.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GenesysAccessTest {

  private static final String NODE = "access-test";

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void manyCallersWaitForOneTokenFetch() {
    GenesysEmulator emulator = GenesysEmulator.start(vertx).await();
    GenesysApi api = api(emulator, emulator.clientSecret());
    List<Future<HttpResponse<Buffer>>> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(api.get("/api/v2/conversations/unknown-" + i));
    }
    Future.all(calls).await();
    calls.forEach(c -> assertEquals(404, c.result().statusCode(), "authorised, and the conversation unknown"));
    assertEquals(1, tokenRequests(emulator), "single flight: one fetch for twenty waiting callers");
  }

  @Test
  void aShortLivedTokenIsRenewedBeforeItExpires() throws InterruptedException {
    GenesysEmulator emulator = GenesysEmulator.start(vertx, EmulatorOptions.builder()
        .tokenLifetime(Duration.ofSeconds(2)).build()).await();
    GenesysApi api = api(emulator, emulator.clientSecret());
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      assertEquals(404, api.get("/api/v2/conversations/x").await().statusCode(), "never a 401 on the way");
      Thread.sleep(100);
    }
    assertTrue(tokenRequests(emulator) >= 3, "renewed about every second: " + tokenRequests(emulator));
    assertEquals(0, emulator.requests().count(401), "no request ever carried an expired token");
  }

  @Test
  void a401GetsANewTokenAndOneRetry() {
    GenesysEmulator emulator = GenesysEmulator.start(vertx).await();
    GenesysApi api = api(emulator, emulator.clientSecret());
    assertEquals(404, api.get("/api/v2/conversations/x").await().statusCode());
    emulator.failNext(1, Fault.unauthorized()).await();
    assertEquals(404, api.get("/api/v2/conversations/x").await().statusCode(), "retried once, with a new token");
    assertEquals(2, tokenRequests(emulator));
    emulator.failNext(2, Fault.unauthorized()).await();
    assertEquals(401, api.get("/api/v2/conversations/x").await().statusCode(), "a second 401 is the caller's");
  }

  @Test
  void a429IsWaitedOutForItsRetryAfter() {
    GenesysEmulator emulator = GenesysEmulator.start(vertx).await();
    GenesysApi api = api(emulator, emulator.clientSecret());
    assertEquals(404, api.get("/api/v2/conversations/x").await().statusCode());
    emulator.failNext(1, Fault.tooManyRequests(2)).await();
    long started = System.currentTimeMillis();
    assertEquals(404, api.get("/api/v2/conversations/y").await().statusCode());
    assertTrue(System.currentTimeMillis() - started >= 1_900, "waited out Retry-After: 2");
    List<RequestLog.Entry> gets = emulator.requests().matching("GET", "/api/v2/conversations/y");
    assertEquals(2, gets.size());
    assertTrue(gets.get(1).at() - gets.get(0).answeredAt() >= 1_900, "the retry came after Retry-After");
  }

  @Test
  void aWrongSecretFailsCallsWithoutHammeringTheLoginService() throws InterruptedException {
    GenesysEmulator emulator = GenesysEmulator.start(vertx).await();
    GenesysApi api = api(emulator, "not-the-secret");
    Throwable refused = api.get("/api/v2/conversations/x").transform(ar -> Future.succeededFuture(ar.cause()))
        .await();
    assertTrue(String.valueOf(refused.getMessage()).contains("invalid_client"), String.valueOf(refused));
    long deadline = System.currentTimeMillis() + 3_000;
    while (System.currentTimeMillis() < deadline) {
      api.get("/api/v2/conversations/x").otherwiseEmpty().await();
      Thread.sleep(20);
    }
    long fetches = tokenRequests(emulator);
    assertTrue(fetches <= 5, "backed off between fetches, not one per call: " + fetches);
    JsonObject status = vertx.eventBus().<JsonObject>request(Addresses.genesysAccess(NODE),
        new JsonObject().put("action", "status")).await().body();
    assertTrue(status.getString("lastError").contains("401"), status.encode());
    assertInstanceOf(String.class, status.getString("token"));
  }

  private GenesysApi api(GenesysEmulator emulator, String secret) {
    GenesysConfig config = new GenesysConfig(GenesysHosts.ofBase(URI.create(emulator.baseUrl())), emulator.clientId(),
        secret, 300, 300, 5_000, 180);
    vertx.deployVerticle(new GenesysAccessVerticle(config, NODE)).await();
    return new GenesysApi(vertx, WebClient.create(vertx), config.hosts().apiBase(), Addresses.genesysAccess(NODE),
        5_000, 180_000);
  }

  private static long tokenRequests(GenesysEmulator emulator) {
    return emulator.requests().all().stream().filter(e -> e.path().equals("/oauth/token")).count();
  }
}
