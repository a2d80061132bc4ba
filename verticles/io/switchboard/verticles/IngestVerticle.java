package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.config.HttpIngestConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dlq.DeadLetterStore;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The HTTP ingest: {@code POST /events} plus the operations endpoints. Stateless apart from its own
 * settlement tracker, so several instances share the port. Each instance is an admitting source with its
 * own settlement address.
 */
public final class IngestVerticle extends VerticleBase {

  private final HttpIngestConfig settings;
  private final EventNormalizer normalizer;
  private final int shards;
  private final SettlementTracker tracker = new SettlementTracker();
  private HttpServer server;
  private MessageConsumer<Settlement> settlements;
  private MessageConsumer<JsonObject> control;
  private int boundPort = -1;

  /** Deployment-config key of this instance's origin id (its settlement address suffix). */
  public static final String ORIGIN_ID = "originId";

  private final DeadLetterStore deadLetters;
  private final List<TargetConfig> targets;
  private final int reorderInstances;

  public IngestVerticle(HttpIngestConfig settings, EventNormalizer normalizer, int shards, DeadLetterStore deadLetters,
                        List<TargetConfig> targets, int reorderInstances) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.shards = shards;
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.targets = List.copyOf(targets);
    this.reorderInstances = reorderInstances;
  }

  @Override
  public Future<?> start() {
    String originId = config().getString(ORIGIN_ID, "http-" + UUID.randomUUID());
    String settleAddress = Addresses.settle(originId);
    control = vertx.eventBus().consumer(controlAddress(originId), msg -> {
      String action = msg.body().getString("action");
      if ("close".equals(action)) {
        closeServer().onComplete(ar -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      } else {
        awaitSettled(System.currentTimeMillis() + msg.body().getLong("timeoutMs", 0L),
            () -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      }
    });
    settlements = vertx.eventBus().consumer(settleAddress,
        msg -> tracker.report(msg.body().seq(), msg.body().parts()));
    PipelineMetrics.gauge("switchboard.inflight", "Admitted events not yet settled", "source",
        settleAddress, tracker::inFlight);
    Router router = Router.router(vertx);
    new EventsEndpoint(vertx, settings, normalizer, tracker, settleAddress, shards).mount(router);
    new OperationsEndpoints(vertx, shards, tracker, settings.maxInFlight(), targets, reorderInstances).mount(router);
    Future<Void> dlq = new DeadLetterEndpoints(vertx, deadLetters, normalizer,
        TargetRoutes.of(targets, TargetTypes.BUILT_IN), shards).mount(router);
    return Future.all(settlements.completion(), control.completion(), dlq)
        .compose(v -> vertx.createHttpServer(new HttpServerOptions().setHost(settings.host()).setPort(settings.port()))
            .requestHandler(router)
            .listen())
        .onSuccess(s -> {
          server = s;
          boundPort = s.actualPort();
        });
  }

  /** Stops taking requests; events already admitted keep flowing until MainVerticle's drain ends. */
  @Override
  public Future<?> stop() {
    return closeServer();
  }

  /** Event-bus address on which MainVerticle drives this instance's part of a graceful shutdown. */
  public static String controlAddress(String originId) {
    return "ingest.control." + originId;
  }

  private Future<Void> closeServer() {
    if (server == null) {
      return Future.succeededFuture();
    }
    HttpServer closing = server;
    server = null;
    return closing.close();
  }

  /** Polls its own tracker (on its own event loop) until nothing is in flight or the deadline passes. */
  private void awaitSettled(long deadline, Runnable done) {
    if (tracker.inFlight() == 0 || System.currentTimeMillis() >= deadline) {
      done.run();
      return;
    }
    vertx.setTimer(20, id -> awaitSettled(deadline, done));
  }

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return boundPort;
  }
}
