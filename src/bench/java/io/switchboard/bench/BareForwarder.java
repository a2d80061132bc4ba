package io.switchboard.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling of the delivery benchmark: a bare Vert.x forwarder that does on this box the least any event router
 * must do, so Switchboard's delivered events/s can be read as a fraction of what the harness allows at all.
 *
 * <p>{@code POST /events} hands each body, unchanged, to every {@code http} target of the config (one request per
 * event, a keep-alive pool of {@code maxConnections}, default 16, per target, like Switchboard's http channel) and
 * answers {@code 202} with a Switchboard-shaped summary ({@code {"accepted":1,...}}, one item per request). It does
 * no validation, dedup, reordering, state, queueing, retry or metrics; the one thing it reads from a body is the
 * envelope id and conversation id, in a single streaming pass ({@link EnvelopeKeys}), because the sink's duplicate
 * and order checks need them as headers.
 *
 * <p>It answers only once every target has answered 2xx, and {@code 503} with {@code Retry-After: 1} otherwise.
 * Without a queue of its own it can promise nothing earlier; and an earlier answer would let a lane's next event
 * of a conversation overtake the previous one on another pooled connection, so the sink would count reorderings
 * that are the forwarder's, not the load's.
 *
 * <p>Started by {@link DeliveryBenchmark} ({@code --server forwarder}) as a child JVM with the server's JVM flags,
 * on the same {@code server.json}: {@code BareForwarder -conf server.json} ({@link ForwarderConfig}). It listens
 * with {@code http.instances} verticles on Vert.x's default event loops, as Switchboard's ingest does, answers
 * {@code GET /health}, and exits on SIGTERM.
 */
public final class BareForwarder extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BareForwarder.class);
  /** The answer LaneSender counts, in Switchboard's shape; the forwarder has no duplicates or dead letters. */
  private static final Buffer ACCEPTED =
      Buffer.buffer("{\"accepted\":1,\"duplicates\":0,\"deadLettered\":0,\"ignored\":0}");
  private static final Buffer UP = Buffer.buffer("{\"status\":\"UP\"}");
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  private final ForwarderConfig config;
  private final List<ForwardOutlet> outlets;

  private BareForwarder(ForwarderConfig config, List<ForwardOutlet> outlets) {
    this.config = Objects.requireNonNull(config, "config");
    this.outlets = List.copyOf(outlets);
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port()))
        .requestHandler(this::handle)
        .listen();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    if (path.equals("/events")) {
      if (request.method() != HttpMethod.POST) {
        request.response().setStatusCode(405).end();
        return;
      }
      // A failed body means the client went away: there is nobody left to answer.
      request.body().onSuccess(body -> forward(request, body));
    } else if (path.equals("/health") && request.method() == HttpMethod.GET) {
      request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(UP);
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private void forward(HttpServerRequest request, Buffer body) {
    EnvelopeKeys keys;
    try {
      keys = EnvelopeKeys.scan(body);
    } catch (IllegalArgumentException e) {
      request.response().setStatusCode(400).end();
      return;
    }
    List<Future<Integer>> sends = new ArrayList<>(outlets.size());
    for (ForwardOutlet outlet : outlets) {
      sends.add(outlet.send(body, keys));
    }
    Future.all(sends).onComplete(all -> {
      if (all.succeeded() && sends.stream().allMatch(send -> send.result() / 100 == 2)) {
        request.response().setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ACCEPTED);
      } else {
        // The sender retries the whole body, so a target that did take it gets it again: no dedup here.
        request.response().setStatusCode(503).putHeader(HttpHeaders.RETRY_AFTER, "1").end();
      }
    });
  }

  /**
   * Deploys {@code http.instances} forwarders on {@code vertx}, sharing one pool per target; they are listening
   * once the future completes.
   */
  static Future<String> deploy(Vertx vertx, ForwarderConfig config) {
    List<ForwardOutlet> outlets = new ArrayList<>();
    try {
      for (ForwarderConfig.Target target : config.targets()) {
        outlets.add(ForwardOutlet.create(vertx, target, config.maxConnections()));
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return vertx.deployVerticle(() -> new BareForwarder(config, outlets),
        new DeploymentOptions().setInstances(config.instances()));
  }

  /** {@code BareForwarder -conf server.json}: runs until SIGTERM. */
  public static void main(String[] args) {
    ForwarderConfig config;
    try {
      config = ForwarderConfig.from(new JsonObject(Files.readString(confPath(args))));
    } catch (IOException | RuntimeException e) {
      System.err.println("BareForwarder: cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    Vertx vertx = Vertx.vertx();
    try {
      deploy(vertx, config).await();
    } catch (RuntimeException e) {
      System.err.println("BareForwarder: cannot start: " + e.getMessage());
      vertx.close();
      System.exit(1);
      return;
    }
    LOG.info("forwarding POST /events on {}:{} ({} instances) to {} with {} connections per target", config.host(),
        config.port(), config.instances(), config.targets().stream().map(t -> t.id() + "=" + t.url()).toList(),
        config.maxConnections());
    // SIGTERM runs the hooks: close Vert.x so connections end cleanly, bounded so a stuck close cannot hang the stop.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        System.err.println("BareForwarder: close: " + e);
      }
    }, "forwarder-shutdown"));
  }

  private static Path confPath(String[] args) {
    if (args.length == 2 && (args[0].equals("-conf") || args[0].equals("--conf"))) {
      return Path.of(args[1]);
    }
    throw new IllegalArgumentException("usage: BareForwarder -conf server.json");
  }
}
