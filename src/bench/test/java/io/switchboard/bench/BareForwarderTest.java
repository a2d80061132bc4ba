package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The forwarder against a real {@link HttpSink} on loopback: bodies arrive unchanged at every target with the
 * headers the sink judges by, and the answer waits for the targets. Run with
 * {@code mvn -o -Pbench test -Dtest=BareForwarderTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BareForwarderTest {

  private Vertx vertx;
  private HttpSink sink;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    sink = HttpSink.deploy(vertx, SinkOptions.loopback(List.of("a", "b"))).await();
    port = ServerProcess.freePort();
    JsonObject config = new JsonObject().put("http", new JsonObject().put("host", "127.0.0.1").put("port", port))
        .put("targets", new JsonArray()
            .add(new JsonObject().put("id", "a").put("type", "http").put("url", sink.url("a")))
            .add(new JsonObject().put("id", "b").put("type", "http").put("url", sink.url("b")))
            .add(new JsonObject().put("id", "f").put("type", "file").put("path", "ignored.jsonl")));
    BareForwarder.deploy(vertx, ForwarderConfig.from(config)).await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Buffer envelope(String id, String conversation, long eventTime) {
    return Buffer.buffer("{\"x-sent-at\":1,\"version\":\"0\",\"id\":\"" + id + "\",\"detail\":{\"topicName\":\"t\","
        + "\"eventBody\":{\"eventTime\":" + eventTime + ",\"conversationId\":\"" + conversation + "\"}}}");
  }

  private HttpResponse<Buffer> post(Buffer body) {
    return client.post(port, "127.0.0.1", "/events").putHeader("content-type", "application/json").sendBuffer(body)
        .await();
  }

  @Test
  void verifiesThatEveryTargetGetsTheBodyWithTheSinksHeadersBeforeThe202() {
    HttpResponse<Buffer> first = post(envelope("e1", "c1", 2_000));
    assertEquals(202, first.statusCode());
    assertEquals(1, first.bodyAsJsonObject().getInteger("accepted"));
    // Answered only after both targets had it, so the sink already counts it.
    assertEquals(1, sink.distinctAccepted().await().get("b"));
    assertEquals(202, post(envelope("e2", "c1", 1_000)).statusCode()); // backwards in c1
    assertEquals(202, post(envelope("e1", "c1", 2_000)).statusCode()); // no dedup: goes through again

    for (String target : List.of("a", "b")) {
      SinkTarget.Snapshot snapshot = sink.snapshot(target).await();
      assertEquals(3, snapshot.stats().getLong("accepted"));
      assertEquals(Set.of("e1", "e2"), snapshot.envelopeIds());
      assertEquals(1, snapshot.stats().getLong("duplicates"), "X-Event-Id is the envelope id");
      assertEquals(List.of("e2"), snapshot.violationIds(), "X-Switchboard-Conversation-Id is the conversation id");
    }
  }

  @Test
  void verifiesThatATargetThatFailsMakesThe503ThatTheSenderRetriesOn() {
    sink.down("b", DownMode.UNAVAILABLE, 0).await();
    HttpResponse<Buffer> response = post(envelope("e1", "c1", 1));
    assertEquals(503, response.statusCode());
    assertEquals("1", response.getHeader("Retry-After"));
    assertEquals(400, post(Buffer.buffer("[1,")).statusCode());
    assertEquals(200, client.get(port, "127.0.0.1", "/health").send().await().statusCode());
  }

  @Test
  void verifiesThatTheKeysAreReadWhereverIdAndConversationIdStand() {
    assertEquals(new EnvelopeKeys("e1", "c1"), EnvelopeKeys.scan(envelope("e1", "c1", 5)));
    // id after detail: the scan must step out of detail cleanly to find it.
    Buffer late = Buffer.buffer("{\"detail\":{\"eventBody\":{\"conversationId\":\"c2\","
        + "\"participants\":[{\"id\":\"p\"}]},\"metadata\":{\"id\":\"m\"}},\"id\":\"e2\"}");
    assertEquals(new EnvelopeKeys("e2", "c2"), EnvelopeKeys.scan(late));
    EnvelopeKeys none = EnvelopeKeys.scan(Buffer.buffer("{\"detail\":{\"topicName\":\"t\"}}"));
    assertNull(none.id());
    assertNull(none.conversationId());
  }
}
