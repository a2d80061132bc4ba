package io.switchboard.verticles;

import io.switchboard.bus.ShardMap;
import io.switchboard.config.DurabilityConfig;
import io.switchboard.config.HttpIngestConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.EventNormalizer;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.util.List;
import java.util.Objects;

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
  /** The Genesys sources of this node (WebSocket, polling), whose status {@code /ready} shows. */
  private final List<String> genesysSources;
  private JournalledSource source;
  /** Opens the listeners; called once every ingest instance has replayed its journal. */
  private java.util.function.Supplier<Future<Void>> listening;
  private HttpServer server;
  private int boundPort = -1;
  private HttpServer adminServer;
  private int adminPort = -1;

  public IngestVerticle(HttpIngestConfig settings, EventNormalizer normalizer, ShardMap shardMap, int instance,
                        List<TargetConfig> targets, DurabilityConfig durability, List<String> kafkaSources,
                        List<String> genesysSources) {
    this.kafkaSources = List.copyOf(kafkaSources);
    this.genesysSources = List.copyOf(genesysSources);
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
    // MainVerticle replays every instance's journal in step (ReplayCoordinator), then has them listen: a live event
    // must not overtake the replay of an earlier event of its conversation held by another instance's journal.
    return JournalledSource.open(vertx, sourceId, "http", durability, normalizer, shardMap, settings.maxInFlight(),
        settings.dedupTimeoutMs(), () -> new JournalledSource.Transport() {
          @Override
          public Future<JsonObject> listen() {
            return listening.get().map(v -> new JsonObject().put("port", boundPort));
          }

          @Override
          public Future<Void> close() {
            return closeServer();
          }
        }).compose(opened -> {
          source = opened;
          return serve();
        });
  }

  private Future<?> serve() {
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
    Handler<HttpServerRequest> requests = new EventsEndpoint(settings, source.admission()).ahead(router);
    new OperationsEndpoints(vertx, shardMap, source::inFlight, settings.maxInFlight(), targets,
        source::journalStatus, java.util.Map.of("kafka", kafkaSources, "genesys", genesysSources))
        .mount(router, admin);
    new ConsoleEndpoints(targets).mount(router, admin);
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
    return dlq;
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
    return closeServer().compose(v -> source == null ? Future.succeededFuture() : source.close());
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

  /** The port actually bound (differs from the configured one when that is 0). */
  public int actualPort() {
    return boundPort;
  }
}
