package io.switchboard.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A fast webhook for Switchboard's {@code http} targets: one port per target, every request answered
 * {@code 200} as soon as its body is in, while it checks what arrived (see {@link SinkTarget}): counts,
 * duplicates by {@code X-Event-Id}, per-conversation eventTime order by {@code X-Switchboard-Conversation-Id},
 * late flags by {@code X-Switchboard-Late}, and sent→delivered latency from the generator's {@code x-sent-at} stamp.
 *
 * <p>Failure injection: a target can be taken down for a while, answering {@code 503} or refusing
 * connections ({@link DownMode}), from code, from the command line ({@code --down}) or over HTTP on the
 * control port: {@code POST /down?target=b&seconds=60&mode=503}, {@code POST /up?target=b}, and
 * {@code GET /stats} for the counters.
 *
 * <p>Everything runs on the verticle's one event loop, so the per-target state needs no locks and the
 * sink's CPU is that one thread's; the public methods hop onto that loop and answer with a future. Run it in
 * the benchmark's JVM ({@link DeliveryBenchmark}) or on its own ({@link #main}).
 */
public final class HttpSink extends VerticleBase {

  static final String EVENT_ID_HEADER = "X-Event-Id";
  static final String CONVERSATION_HEADER = "X-Switchboard-Conversation-Id";
  static final String ATTEMPT_HEADER = "X-Switchboard-Attempt";
  /** {@code true} on an event the server released after a later one of its conversation, knowingly. */
  static final String LATE_HEADER = "X-Switchboard-Late";

  private final SinkOptions options;
  private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
  private final JsonArray downWindows = new JsonArray();
  private final long startedAt = System.currentTimeMillis();
  private HttpServer control;
  private volatile long threadId = -1;
  private volatile Map<String, Integer> ports = Map.of();
  private volatile int controlPort = -1;

  private HttpSink(SinkOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** One target: its port, its server while listening, its state, and whether (and how) it is down. */
  private static final class Endpoint {
    final SinkTarget state;
    int port;
    HttpServer server;
    /** Completes once a refuse-mode outage has released the port, which must happen before it is bound again. */
    Future<Void> closed = Future.succeededFuture();
    DownMode down;
    JsonObject window;
    long upTimer = -1;

    Endpoint(String id) {
      state = new SinkTarget(id);
    }
  }

  /** Deploys a sink on {@code vertx}; it is listening on every port once the future completes. */
  public static Future<HttpSink> deploy(Vertx vertx, SinkOptions options) {
    HttpSink sink = new HttpSink(options);
    return vertx.deployVerticle(sink).map(id -> sink);
  }

  @Override
  public Future<?> start() {
    threadId = Thread.currentThread().getId();
    List<Future<?>> listening = new ArrayList<>();
    int next = options.firstTargetPort();
    for (String target : options.targets()) {
      Endpoint endpoint = new Endpoint(target);
      endpoint.port = next == 0 ? 0 : next++;
      endpoints.put(target, endpoint);
      listening.add(listen(endpoint));
    }
    control = vertx.createHttpServer(new HttpServerOptions().setHost(options.host())).requestHandler(this::control);
    listening.add(control.listen(options.controlPort()));
    return Future.all(listening).onSuccess(v -> {
      Map<String, Integer> bound = new LinkedHashMap<>();
      endpoints.forEach((id, endpoint) -> bound.put(id, endpoint.port));
      ports = Map.copyOf(bound);
      controlPort = control.actualPort();
      options.outages().forEach(o -> vertx.setTimer(Math.max(1, o.afterMillis()),
          t -> down(endpoints.get(o.target()), o.mode(), o.forMillis())));
    });
  }

  private Future<HttpServer> listen(Endpoint endpoint) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(options.host()).setTcpNoDelay(true))
        .requestHandler(request -> receive(endpoint, request));
    return server.listen(endpoint.port).onSuccess(s -> {
      endpoint.server = s;
      // Kept for a relisten after a refuse-mode outage, which must come back on the same port.
      endpoint.port = s.actualPort();
    });
  }

  private void receive(Endpoint endpoint, HttpServerRequest request) {
    request.body().onSuccess(body -> {
      SinkTarget state = endpoint.state;
      state.requests++;
      if (endpoint.down != null) {
        state.answered503++;
        var response = request.response().setStatusCode(503);
        if (options.retryAfterSeconds() > 0) {
          response.putHeader("Retry-After", Integer.toString(options.retryAfterSeconds()));
        }
        response.end();
        return;
      }
      long now = System.currentTimeMillis();
      EnvelopeFields fields;
      try {
        fields = EnvelopeFields.scan(body);
      } catch (IllegalArgumentException e) {
        state.unreadable++;
        request.response().setStatusCode(400).end();
        return;
      }
      state.accepted(request.getHeader(EVENT_ID_HEADER), request.getHeader(CONVERSATION_HEADER),
          attempt(request.getHeader(ATTEMPT_HEADER)), late(request.getHeader(LATE_HEADER)), fields, now);
      request.response().setStatusCode(200).end();
    });
  }

  private static boolean late(String header) {
    return header != null && header.trim().equalsIgnoreCase("true");
  }

  private static int attempt(String header) {
    try {
      return header == null ? 1 : Integer.parseInt(header.trim());
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** Takes a target down now for {@code millis} (0: until {@link #up}); a target already down keeps its window. */
  private void down(Endpoint endpoint, DownMode mode, long millis) {
    if (endpoint.down != null) {
      return;
    }
    endpoint.down = mode;
    endpoint.window = new JsonObject().put("target", endpoint.state.id).put("mode", mode.label())
        .put("from", System.currentTimeMillis()).putNull("to");
    downWindows.add(endpoint.window);
    if (mode == DownMode.REFUSE && endpoint.server != null) {
      HttpServer closing = endpoint.server;
      endpoint.server = null;
      endpoint.closed = closing.close();
    }
    if (millis > 0) {
      endpoint.upTimer = vertx.setTimer(millis, t -> {
        endpoint.upTimer = -1;
        up(endpoint);
      });
    }
  }

  private Future<?> up(Endpoint endpoint) {
    if (endpoint.down == null) {
      return Future.succeededFuture();
    }
    if (endpoint.upTimer >= 0) {
      vertx.cancelTimer(endpoint.upTimer);
      endpoint.upTimer = -1;
    }
    DownMode was = endpoint.down;
    endpoint.down = null;
    endpoint.window.put("to", System.currentTimeMillis());
    return was == DownMode.REFUSE ? endpoint.closed.compose(v -> listen(endpoint)) : Future.succeededFuture();
  }

  private void control(HttpServerRequest request) {
    String path = request.path();
    String target = request.getParam("target");
    try {
      if (request.method() == HttpMethod.GET && path.equals("/stats")) {
        json(request, 200, statsJson());
      } else if (request.method() == HttpMethod.POST && path.equals("/down")) {
        String seconds = request.getParam("seconds");
        String mode = request.getParam("mode");
        down(endpoint(target), mode == null ? DownMode.UNAVAILABLE : DownMode.parse(mode),
            seconds == null ? 0 : Long.parseLong(seconds.trim()) * 1000);
        json(request, 200, new JsonObject().put("downWindows", downWindows.copy()));
      } else if (request.method() == HttpMethod.POST && path.equals("/up")) {
        up(endpoint(target)).onComplete(ar -> json(request, ar.succeeded() ? 200 : 500,
            new JsonObject().put("downWindows", downWindows.copy())));
      } else {
        json(request, 404, new JsonObject().put("error", "GET /stats, POST /down?target=&seconds=&mode=503|refuse,"
            + " POST /up?target="));
      }
    } catch (IllegalArgumentException e) {
      json(request, 400, new JsonObject().put("error", e.getMessage()));
    }
  }

  private Endpoint endpoint(String target) {
    Endpoint endpoint = target == null ? null : endpoints.get(target);
    if (endpoint == null) {
      throw new IllegalArgumentException("no target '" + target + "'; targets are " + endpoints.keySet());
    }
    return endpoint;
  }

  private static void json(HttpServerRequest request, int status, JsonObject body) {
    request.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private JsonObject statsJson() {
    JsonObject targets = new JsonObject();
    endpoints.forEach((id, endpoint) -> targets.put(id, endpoint.state.stats()
        .put("port", endpoint.port).put("down", endpoint.down == null ? null : endpoint.down.label())));
    return new JsonObject().put("startedAt", startedAt).put("targets", targets).put("downWindows", downWindows.copy());
  }

  // ---- in-process API: each call hops onto the sink's event loop ----

  /** The port a target listens on. */
  public int port(String target) {
    Integer port = ports.get(target);
    if (port == null) {
      throw new IllegalArgumentException("no target '" + target + "'");
    }
    return port;
  }

  /** The URL to configure as the target's {@code url}; the path names the target for people reading logs. */
  public String url(String target) {
    return "http://" + ("0.0.0.0".equals(options.host()) ? "127.0.0.1" : options.host()) + ":" + port(target) + "/"
        + target;
  }

  public int controlPort() {
    return controlPort;
  }

  /** The sink's event-loop thread, whose CPU time is the sink's. */
  public long threadId() {
    return threadId;
  }

  public Future<Void> down(String target, DownMode mode, long millis) {
    return onLoop(() -> {
      down(endpoint(target), mode, millis);
      return null;
    });
  }

  public Future<Void> up(String target) {
    return this.<Future<?>>onLoop(() -> up(endpoint(target))).compose(f -> f.mapEmpty());
  }

  /** The same JSON as {@code GET /stats}. */
  public Future<JsonObject> stats() {
    return onLoop(this::statsJson);
  }

  /** Distinct envelope ids accepted per target: cheap enough to poll. */
  public Future<Map<String, Integer>> distinctAccepted() {
    return onLoop(() -> {
      Map<String, Integer> counts = new LinkedHashMap<>();
      endpoints.forEach((id, endpoint) -> counts.put(id, endpoint.state.distinctEvents()));
      return counts;
    });
  }

  /** A detached copy of one target's state. */
  Future<SinkTarget.Snapshot> snapshot(String target) {
    return onLoop(() -> endpoint(target).state.snapshot());
  }

  /** Every down window so far: {@code [{"target","mode","from","to"}]}, epoch ms, {@code to} null while down. */
  public Future<JsonArray> downWindows() {
    return onLoop(downWindows::copy);
  }

  private <T> Future<T> onLoop(Supplier<T> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> {
      try {
        promise.complete(work.get());
      } catch (RuntimeException e) {
        promise.fail(e);
      }
    });
    return promise.future();
  }

  /**
   * Standalone: {@code HttpSink [--targets a,b] [--host 127.0.0.1] [--port 9100] [--target-port 9101]
   * [--down b:30:60[:refuse]] [--retry-after 0]}; prints the target URLs as one JSON line and runs until killed.
   */
  public static void main(String[] args) {
    SinkOptions options = CommandLine.parseOrExit("HttpSink", SinkOptions.USAGE, args, SinkOptions::parse);
    if (options == null) {
      return;
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    HttpSink sink = deploy(vertx, options).await();
    JsonObject urls = new JsonObject();
    options.targets().forEach(t -> urls.put(t, sink.url(t)));
    System.out.println(new JsonObject().put("control", "http://" + options.host() + ":" + sink.controlPort())
        .put("targets", urls).encode());
  }
}
