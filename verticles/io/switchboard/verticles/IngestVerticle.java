package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.config.DurabilityConfig;
import io.switchboard.config.HttpIngestConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.PendingVerdicts;
import io.switchboard.ingest.SettlementTracker;
import io.switchboard.journal.IngestJournal;
import io.switchboard.journal.JournalReplay;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Verdict;
import io.switchboard.message.Settlement;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The HTTP source: {@code POST /events} plus the operations endpoints. Each instance is an admitting source with
 * its own {@link Admission}, settlement tracker and settlement address, named {@code http-<instance>} so that
 * the name survives a restart; several instances share the port.
 */
public final class IngestVerticle extends VerticleBase {

  private final HttpIngestConfig settings;
  private final EventNormalizer normalizer;
  private final ShardMap shardMap;
  private final String sourceId;
  private final List<TargetConfig> targets;
  private final DurabilityConfig durability;
  /** The Kafka consumers of this node, whose status {@code /ready} shows. */
  private final List<String> kafkaSources;
  private SettlementTracker tracker;
  /** Null when the journal is off. */
  private IngestJournal journal;
  private Admission admission;
  /** Null when the journal is off. */
  private JournalReplay replay;
  /** Opens the listeners; called once every ingest instance has replayed its journal. */
  private java.util.function.Supplier<Future<Void>> listening;
  private PendingVerdicts pending;
  private MessageConsumer<Verdict> verdicts;
  private long verdictSweep = -1;
  private long settledNote = -1;
  private HttpServer server;
  private MessageConsumer<Settlement> settlements;
  private MessageConsumer<JsonObject> control;
  private int boundPort = -1;
  private HttpServer adminServer;
  private int adminPort = -1;

  public IngestVerticle(HttpIngestConfig settings, EventNormalizer normalizer, ShardMap shardMap, int instance,
                        List<TargetConfig> targets, DurabilityConfig durability, List<String> kafkaSources) {
    this.kafkaSources = List.copyOf(kafkaSources);
    this.durability = Objects.requireNonNull(durability, "durability");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.sourceId = sourceId(instance);
    this.targets = List.copyOf(targets);
  }

  /** The stable id of HTTP ingest instance {@code instance}. */
  public static String sourceId(int instance) {
    return "http-" + instance;
  }

  @Override
  public Future<?> start() {
    if (!durability.journal()) {
      tracker = new SettlementTracker();
      return serve(Admission.Journal.NONE);
    }
    return IngestJournal.open(vertx, durability, sourceId).compose(opened -> {
      journal = opened;
      tracker = new SettlementTracker(opened.firstSeq());
      return serve(opened);
    });
  }

  private Future<?> serve(Admission.Journal journaling) {
    String node = shardMap.localNode();
    String settleAddress = Addresses.settle(node, sourceId);
    pending = new PendingVerdicts(settings.dedupTimeoutMs());
    control = vertx.eventBus().localConsumer(Addresses.ingestControl(node, sourceId), msg -> {
      String action = msg.body().getString("action");
      if ("close".equals(action)) {
        closeServer().onComplete(ar -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      } else if ("listen".equals(action)) {
        listening.get().onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(new JsonObject().put("port", boundPort));
          } else {
            msg.fail(500, String.valueOf(ar.cause()));
          }
        });
      } else if ("replay-until".equals(action)) {
        Future<Long> next = replay == null ? Future.succeededFuture(Long.MAX_VALUE)
            : replay.runUntil(msg.body().getLong("bound"));
        next.onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(new JsonObject().put("next", ar.result()));
          } else {
            msg.fail(500, String.valueOf(ar.cause()));
          }
        });
      } else if ("replay-finish".equals(action)) {
        (replay == null ? Future.<Void>succeededFuture() : replay.finish())
            .onComplete(ar -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      } else if ("position".equals(action)) {
        msg.reply(new JsonObject().put("settledThrough", tracker.settledThrough()));
      } else if ("truncate".equals(action)) {
        Future<Void> truncated = journal == null ? Future.succeededFuture()
            : journal.truncateThrough(msg.body().getLong("through"));
        truncated.onComplete(ar -> {
          if (ar.succeeded()) {
            msg.reply(new JsonObject());
          } else {
            msg.fail(500, String.valueOf(ar.cause()));
          }
        });
      } else {
        awaitSettled(System.currentTimeMillis() + msg.body().getLong("timeoutMs", 0L),
            () -> msg.reply(new JsonObject().put("inFlight", tracker.inFlight())));
      }
    });
    settlements = vertx.eventBus().localConsumer(settleAddress,
        msg -> tracker.report(msg.body().seq(), msg.body().parts()));
    PipelineMetrics.gauge("switchboard.inflight", "Admitted events not yet settled", "source",
        settleAddress, tracker::inFlight);
    verdicts = vertx.eventBus().localConsumer(Addresses.verdicts(settleAddress),
        msg -> pending.answer(msg.body().seq(), msg.body().verdict()));
    // One sweep for every verdict still awaited, instead of a timer per request.
    verdictSweep = vertx.setPeriodic(Math.max(50, settings.dedupTimeoutMs() / 10),
        id -> pending.expire(System.currentTimeMillis()));
    if (journal != null) {
      PipelineMetrics.gauge("switchboard.journal.unsettled.bytes", "Journal bytes not yet truncated", "source",
          sourceId, journal::diskBytes);
      settledNote = vertx.setPeriodic(durability.settledNoteMillis(),
          id -> journal.noteSettled(tracker.settledThrough(), tracker.settledRanges()));
    }
    admission = new Admission("http", settleAddress, normalizer, tracker, new BusPipeline(vertx, shardMap, pending), journaling,
        PipelineMetrics::ingested);
    Router router = Router.router(vertx);
    // With http.adminPort the admin endpoints get a listener of their own (loopback by default); else they sit
    // beside ingest. Either way the admin key, when set, guards them.
    boolean separateAdmin = settings.adminPort() >= 0;
    Router admin = separateAdmin ? Router.router(vertx) : router;
    AdminGuard guard = new AdminGuard(settings);
    guard.mount(admin);
    if (separateAdmin && settings.metricsNeedAdmin()) {
      guard.mountMetrics(router);
    }
    Handler<HttpServerRequest> requests = new EventsEndpoint(settings, admission).ahead(router);
    new OperationsEndpoints(vertx, shardMap, tracker::inFlight, settings.maxInFlight(), targets,
        () -> journal == null ? new JsonObject().put("state", "off") : journal.status(), kafkaSources)
        .mount(router, admin);
    Future<Void> dlq = new DeadLetterEndpoints(vertx, normalizer,
        TargetRoutes.of(shardMap.localNode(), targets, TargetTypes.BUILT_IN), shardMap, sourceId).mount(admin);
    listening = () -> (separateAdmin
        ? vertx.createHttpServer(new HttpServerOptions().setHost(settings.adminHost()).setPort(settings.adminPort()))
            .requestHandler(admin).listen().onSuccess(s -> {
              adminServer = s;
              adminPort = s.actualPort();
            }).<Void>mapEmpty()
        : Future.<Void>succeededFuture())
        .compose(v -> vertx.createHttpServer(ingestServerOptions()).requestHandler(requests).listen())
        .onSuccess(s -> {
          server = s;
          boundPort = s.actualPort();
        }).mapEmpty();
    // MainVerticle replays every instance's journal in step (ReplayCoordinator), then has them listen: a live event
    // must not overtake the replay of an earlier event of its conversation held by another instance's journal.
    replay = journal == null ? null : new JournalReplay(vertx, journal, admission, settings.maxInFlight());
    return Future.all(settlements.completion(), control.completion(), verdicts.completion(), dlq);
  }

  /** Plain HTTP, or TLS from the configured PEM files (with client certificates when a client CA is given). */
  private HttpServerOptions ingestServerOptions() {
    HttpServerOptions options = new HttpServerOptions().setHost(settings.host()).setPort(settings.port());
    HttpIngestConfig.Tls tls = settings.tls();
    if (tls != null) {
      options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.certPath())
          .setKeyPath(tls.keyPath()));
      if (tls.clientCaPath() != null) {
        options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions()
            .addCertPath(tls.clientCaPath()));
      }
    }
    return options;
  }

  /** The admin listener's port, or -1 when the admin endpoints are served beside ingest. */
  public int adminPort() {
    return adminPort;
  }

  /** Stops taking requests; events already admitted keep flowing until MainVerticle's drain ends. */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(verdictSweep);
    vertx.cancelTimer(settledNote);
    return closeServer().compose(v -> journal == null ? Future.succeededFuture() : journal.close());
  }

  private Future<Void> closeServer() {
    HttpServer closingAdmin = adminServer;
    adminServer = null;
    Future<Void> admin = closingAdmin == null ? Future.succeededFuture() : closingAdmin.close();
    if (server == null) {
      return admin;
    }
    HttpServer closing = server;
    server = null;
    return Future.all(admin, closing.close()).mapEmpty();
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
