package io.switchboard.it;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A real HTTP webhook target on a loopback port 0 that records every request and answers as scripted:
 * the script maps the request number (1-based) to a {@link Reply}.
 */
public final class Webhook {

  /** How to answer one request: a status with headers, or never (the connection just hangs). */
  public record Reply(int status, MultiMap headers, boolean answer) {
    public static Reply ok() {
      return status(200);
    }

    public static Reply status(int status) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap(), true);
    }

    public static Reply retryAfter(int status, String retryAfter) {
      return new Reply(status, MultiMap.caseInsensitiveMultiMap().add("Retry-After", retryAfter), true);
    }

    public static Reply never() {
      return new Reply(0, MultiMap.caseInsensitiveMultiMap(), false);
    }
  }

  /** One request as received. */
  public record Received(int number, long at, MultiMap headers, Buffer body) {
    public JsonObject json() {
      return body.toJsonObject();
    }

    public String header(String name) {
      return headers.get(name);
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<Received> rejected = new CopyOnWriteArrayList<>();
  private final AtomicInteger count = new AtomicInteger();
  private volatile IntFunction<Reply> script = n -> Reply.ok();
  private volatile long delayMillis;
  private final Vertx vertx;
  private HttpServer server;

  private Webhook(Vertx vertx) {
    this.vertx = vertx;
  }

  public static Future<Webhook> start(Vertx vertx) {
    Webhook hook = new Webhook(vertx);
    return vertx.createHttpServer().requestHandler(hook::handle).listen(0, "127.0.0.1").map(s -> {
      hook.server = s;
      return hook;
    });
  }

  public Webhook script(IntFunction<Reply> script) {
    this.script = script;
    return this;
  }

  /**
   * Answers every request {@code delay} after its body arrived (a slow target); it is recorded when answered, so
   * {@link #accepted()} holds only requests whose 2xx has been sent. {@link Duration#ZERO} answers at once again.
   */
  public Webhook delay(Duration delay) {
    this.delayMillis = delay.toMillis();
    return this;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/hook";
  }

  public int requests() {
    return count.get();
  }

  /** Requests answered 2xx, in arrival order. */
  public List<Received> accepted() {
    return List.copyOf(received);
  }

  /** Every request, whatever the answer. */
  public List<Received> attempts() {
    java.util.List<Received> all = new java.util.ArrayList<>(received);
    all.addAll(rejected);
    all.sort(java.util.Comparator.comparingLong(Received::at));
    return all;
  }

  private void handle(HttpServerRequest request) {
    request.body().onSuccess(body -> {
      long delay = delayMillis;
      if (delay > 0) {
        vertx.setTimer(delay, id -> answer(request, body));
      } else {
        answer(request, body);
      }
    });
  }

  private void answer(HttpServerRequest request, Buffer body) {
    int n = count.incrementAndGet();
    Reply reply = script.apply(n);
    Received r = new Received(n, System.currentTimeMillis(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body);
    if (reply.answer() && reply.status() / 100 == 2) {
      received.add(r);
    } else {
      rejected.add(r);
    }
    if (reply.answer()) {
      request.response().setStatusCode(reply.status()).headers().addAll(reply.headers());
      request.response().end();
    }
  }
}
