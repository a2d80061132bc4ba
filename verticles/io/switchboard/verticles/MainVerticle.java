package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.ShardMap;
import io.switchboard.codecs.Codecs;
import io.switchboard.config.ConfigException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.config.MemoryBudget;
import io.switchboard.config.GenesysWebSocketSourceConfig;
import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.TargetRoutes;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dispatch.overflow.MemoryOverflow;
import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.dispatch.overflow.ParkOverflow;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.state.LifecycleDefinition;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Takes the configuration the launcher parsed (or parses its deployment config), registers the codecs, then
 * deploys the stages downstream first (DLQ writer, targets, state, reorder, dedup, ingest last), so that nothing is
 * accepted before everything behind it is listening. Any failure fails the start. Also orchestrates the graceful
 * drain.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(MainVerticle.class);

  /** The launcher's parsed config; null when deployed with only a JSON deployment config (tests). */
  private final SwitchboardConfig parsed;
  private final java.util.function.Function<String, String> env;
  private SwitchboardConfig config;
  private ShardMap shardMap;
  private final List<String> ingestSources = new ArrayList<>();
  private final List<String> kafkaSources = new ArrayList<>();
  private SingletonSources singletons;
  private IngestVerticle firstIngest;
  private Checkpointer checkpointer;
  private long checkpointTimer = -1;
  /** Parking on when the target has a park bound, else overflow waits in memory and pushes back. */
  private final Overflow.Factory overflows = (vertx, target, instance, wake, rebuild) -> target.parkMaxBytes() > 0
      ? ParkOverflow.open(vertx, java.nio.file.Path.of(config.parkDir()), target, instance, wake, rebuild)
      : Future.succeededFuture(new MemoryOverflow());

  /** Parses its deployment config at start. */
  public MainVerticle() {
    this((SwitchboardConfig) null);
  }

  /**
   * Parses its deployment config at start, reading the secrets it names ({@code clientSecretEnv},
   * {@code passwordEnv}) through {@code env} instead of the process environment: for in-process tests.
   */
  public MainVerticle(java.util.function.Function<String, String> env) {
    this.parsed = null;
    this.env = env;
  }

  /** Runs {@code parsed}, which the launcher has already parsed and validated; the deployment config is unused. */
  public MainVerticle(SwitchboardConfig parsed) {
    this.parsed = parsed;
    this.env = System::getenv;
  }

  @Override
  public Future<?> start() {
    long started = System.currentTimeMillis();
    try {
      config = parsed != null ? parsed : SwitchboardConfig.fromJson(config(), TargetTypes.BUILT_IN, env);
    } catch (ConfigException e) {
      return Future.failedFuture(e);
    }
    Codecs.registerAll(vertx.eventBus());
    checkMemoryBudget();
    return Future.all(loadSchemas(), loadLifecycle()).compose(loaded -> {
      SchemaRegistry schemas = loaded.resultAt(0);
      LifecycleDefinition lifecycle = loaded.resultAt(1);
      return deployAll(new EventNormalizer(schemas, true), lifecycle);
    }).compose(v -> vertx.eventBus().localConsumer(Addresses.drain(config.nodeId()), msg -> drain().onComplete(ar ->
        msg.reply(new JsonObject().put("inFlight", ar.succeeded() ? ar.result() : -1)))).completion())
        .onSuccess(v -> LOG.info("Switchboard ready in {} ms: POST http://{}:{}/events, GET /conversations/{id}, "
                + "/health, /ready, /metrics; targets {}; dead letters in {}; {} event loops; max heap {} MB",
            System.currentTimeMillis() - started, config.http().host(), httpPort(),
            config.enabledTargets().stream().map(TargetConfig::id).toList(), config.deadLetters().dir(),
            eventLoopCount(), Runtime.getRuntime().maxMemory() >> 20));
  }

  /** Warns when the configured bounds, full, would not fit the heap: better said at start than by an OOM later. */
  private void checkMemoryBudget() {
    long full = MemoryBudget.fullBytes(config);
    long max = Runtime.getRuntime().maxMemory();
    if (!MemoryBudget.fits(config, max)) {
      LOG.warn("the configured bounds hold about {} MB when full (dedup.maxEventsPerShard, state and reorder "
              + "maxConversationsPerShard and enrichment summaries, times {} shards, http.maxInFlight and each kafka "
              + "source's maxInFlight), more than {} % of the {} MB max heap: raise -Xmx or lower them",
          full >> 20, config.shards(), Math.round(MemoryBudget.HEAP_SHARE * 100), max >> 20);
    }
  }

  /** The event loops this Vert.x really has (the launcher sizes them from {@code eventLoops}; tests may not). */
  private int eventLoopCount() {
    int count = 0;
    for (var ignored : ((io.vertx.core.internal.VertxInternal) vertx).nettyEventLoopGroup()) {
      count++;
    }
    return count;
  }

  /** The port ingest listens on (useful when configured as 0). */
  public int httpPort() {
    return firstIngest == null ? -1 : firstIngest.actualPort();
  }

  /** The admin listener's port ({@code http.adminPort}), or -1 when admin endpoints are served beside ingest. */
  public int adminPort() {
    return firstIngest == null ? -1 : firstIngest.adminPort();
  }

  public SwitchboardConfig switchboardConfig() {
    return config;
  }

  /** Reads every schema the normaliser needs: from the filesystem, else the copy embedded in the jar. */
  private Future<SchemaRegistry> loadSchemas() {
    Map<String, Future<JsonObject>> reads = new LinkedHashMap<>();
    for (String name : SchemaRegistry.DEFAULT_NAMES) {
      String path = config.schemasDir() + "/" + SchemaRegistry.fileName(name);
      reads.put(name, vertx.fileSystem().readFile(path)
          .map(b -> b.toJsonObject())
          .recover(e -> Future.failedFuture(new ConfigException("schemas.dir", "cannot read schema " + path + ": " + e.getMessage()))));
    }
    return Future.all(new ArrayList<>(reads.values())).map(all -> {
      Map<String, JsonObject> schemas = new LinkedHashMap<>();
      reads.forEach((name, f) -> schemas.put(name, f.result()));
      return new SchemaRegistry(schemas);
    });
  }

  private Future<LifecycleDefinition> loadLifecycle() {
    String path = config.state().lifecycle();
    return vertx.fileSystem().readFile(path)
        .recover(e -> Future.failedFuture(new ConfigException("state.lifecycle", "cannot read " + path + ": " + e.getMessage())))
        .map(b -> {
          try {
            return LifecycleDefinition.fromJson(b.toJsonObject());
          } catch (IllegalArgumentException e) {
            throw new ConfigException("state.lifecycle", path + ": " + e.getMessage());
          }
        });
  }

  private Future<Void> deployAll(EventNormalizer normalizer, LifecycleDefinition lifecycle) {
    List<TargetConfig> targets = config.enabledTargets();
    TargetRoutes routes = TargetRoutes.of(config.nodeId(), targets, TargetTypes.BUILT_IN);
    boolean snapshots = targets.stream().anyMatch(TargetTypes.BUILT_IN::readsSnapshot);
    // Clustered Vert.x (cluster.enabled, or the launcher's -cluster) makes this node one owner among the members.
    shardMap = vertx.isClustered()
        ? ShardMap.clustered(config.nodeId(), config.shards(), config.dedup().instances(),
            config.reorder().instances(), config.state().instances())
        : ShardMap.singleNode(config.nodeId(), config.shards(), config.dedup().instances(),
            config.reorder().instances(), config.state().instances());
    singletons = new SingletonSources(vertx, shardMap,
        () -> checkpointer == null ? Future.succeededFuture() : checkpointer.runFresh());
    String snapshotDir = config.durability().checkpointIntervalMillis() > 0 ? config.durability().snapshotDir() : null;
    Future<Void> genesys = config.genesys() == null ? Future.succeededFuture()
        : deploy(() -> new GenesysAccessVerticle(config.genesys(), config.nodeId()), new JsonObject());
    return genesys.compose(v -> deploy(() -> new DeadLetterWriterVerticle(config.deadLetters()), new JsonObject()))
        .compose(v -> deployTargets(targets))
        .compose(v -> deploySharded(config.state().instances(), i -> new StateVerticle(config.state(), lifecycle,
            shardMap, i, routes, targets, snapshots, snapshotDir, config.genesys())))
        .compose(v -> deploySharded(config.reorder().instances(),
            i -> new ReorderVerticle(config.reorder(), lifecycle, shardMap, i)))
        .compose(v -> deploySharded(config.dedup().instances(), i -> new DedupVerticle(config.dedup(), shardMap, i,
            snapshotDir)))
        .compose(v -> shardMap.clustered() ? deploy(() -> new ClusterVerticle(shardMap, targets,
            config.cluster().handoverTimeoutMillis()), new JsonObject()) : Future.succeededFuture())
        .compose(v -> {
          // Side by side; then their journals are replayed together, and only then do they listen (openIngest).
          List<Future<Void>> ingests = new ArrayList<>();
          for (int i = 0; i < config.http().instances(); i++) {
            ingestSources.add(IngestVerticle.sourceId(i));
            IngestVerticle ingest = new IngestVerticle(config.http(), normalizer, shardMap, i, targets,
                config.durability(), kafkaSourceIds(), webSocketSourceIds());
            if (firstIngest == null) {
              firstIngest = ingest;
            }
            ingests.add(deploy(() -> ingest, new JsonObject()));
          }
          return Future.all(ingests).<Void>mapEmpty();
        })
        .compose(v -> deployKafkaSources(normalizer))
        .compose(v -> deployWebSocketSources(normalizer))
        .compose(v -> deployPollSources(normalizer))
        .compose(v -> joinCluster())
        .compose(v -> new ReplayCoordinator(vertx, config.nodeId(), ingestSources).run())
        .compose(v -> openIngest())
        .compose(v -> startSingletons())
        .compose(v -> startCheckpoints(snapshotDir != null));
  }

  /**
   * One verticle per {@code genesys-websocket} source. They journal like HTTP ingest, so they join
   * {@code ingestSources}: their journals are replayed in step with the others before any source listens.
   */
  private Future<Void> deployWebSocketSources(EventNormalizer normalizer) {
    List<Future<Void>> deployments = new ArrayList<>();
    for (var source : config.webSocketSources()) {
      Supplier<Deployable> factory = () -> new GenesysWebSocketSourceVerticle(source, config.genesys(), normalizer,
          shardMap, config.durability(), config.http().maxInFlight(), config.http().dedupTimeoutMs());
      deployments.add(deployGenesysSource(source.sourceId(), factory));
    }
    return Future.all(deployments).mapEmpty();
  }

  /**
   * One verticle per {@code genesys-poll} source. No journal (the API is re-queried after a crash), but they take
   * part in the replay steps, listen, checkpoints (their window checkpoint moves at truncate) and drain, so they
   * join {@code ingestSources}.
   */
  private Future<Void> deployPollSources(EventNormalizer normalizer) {
    List<Future<Void>> deployments = new ArrayList<>();
    for (var source : config.pollSources()) {
      Supplier<Deployable> factory = () -> new GenesysPollSourceVerticle(source, config.genesys(), normalizer,
          shardMap, config.http().dedupTimeoutMs());
      deployments.add(deployGenesysSource(source.sourceId(), factory));
    }
    return Future.all(deployments).mapEmpty();
  }

  /**
   * A Genesys source: deployed here and now, joining {@code ingestSources}; clustered, it runs once in the cluster
   * instead, on the member the view picks ({@link SingletonSources}).
   */
  private Future<Void> deployGenesysSource(String sourceId, Supplier<Deployable> factory) {
    if (shardMap.clustered()) {
      singletons.add(sourceId, factory);
      return Future.succeededFuture();
    }
    ingestSources.add(sourceId);
    return deploy(factory, new JsonObject());
  }

  /** The Genesys sources whose status {@code /ready} shows: WebSocket channels and pollers. */
  private List<String> webSocketSourceIds() {
    List<String> ids = new ArrayList<>(config.webSocketSources().stream()
        .map(GenesysWebSocketSourceConfig::sourceId).toList());
    config.pollSources().forEach(source -> ids.add(source.sourceId()));
    return ids;
  }

  private List<String> kafkaSourceIds() {
    List<String> ids = new ArrayList<>();
    config.kafkaSources().forEach(source -> {
      for (int i = 0; i < source.instances(); i++) {
        ids.add(source.sourceId(i));
      }
    });
    return ids;
  }

  /**
   * One verticle per consumer of each {@code kafka} source. They take part in everything an ingest instance does
   * (replay steps, listen, checkpoints, drain) through the same control address, so they join {@code ingestSources}.
   */
  private Future<Void> deployKafkaSources(EventNormalizer normalizer) {
    List<Future<Void>> deployments = new ArrayList<>();
    for (var source : config.kafkaSources()) {
      for (int i = 0; i < source.instances(); i++) {
        int instance = i;
        ingestSources.add(source.sourceId(i));
        kafkaSources.add(source.sourceId(i));
        deployments.add(deploy(() -> new KafkaSourceVerticle(source, instance, normalizer, shardMap,
            config.http().dedupTimeoutMs()), new JsonObject()));
      }
    }
    return Future.all(deployments).mapEmpty();
  }

  /**
   * Clustered: the node joins the view now that every stage and source is up, and goes on once the shards the view
   * gives it are open (handed over by their previous owners, or opened here), so that its journal replay finds them.
   */
  private Future<Void> joinCluster() {
    if (!shardMap.clustered()) {
      return Future.succeededFuture();
    }
    return vertx.eventBus().request(Addresses.clusterJoin(config.nodeId()), "join",
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(config.cluster().handoverTimeoutMillis() * 3))
        .mapEmpty();
  }

  /** Clustered: hands every shard this node owns to the nodes that stay (the drain's step before awaiting settlement). */
  private Future<Void> leaveCluster() {
    if (!shardMap.clustered()) {
      return Future.succeededFuture();
    }
    LOG.info("leaving the cluster: handing this node's shards to the other members");
    return vertx.eventBus().request(Addresses.clusterLeave(config.nodeId()), "leave",
        new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(config.cluster().handoverTimeoutMillis() * 3))
        .<Void>mapEmpty().recover(e -> {
          LOG.warn("leaving the cluster did not finish: {}", e.toString());
          return Future.succeededFuture();
        });
  }

  /**
   * Clustered: the WebSocket and polling sources run on the member the view names for each, and move with the view
   * ({@link SingletonSources}).
   */
  private Future<Void> startSingletons() {
    if (!shardMap.clustered() || singletons.isEmpty()) {
      return Future.succeededFuture();
    }
    singletons.reconcile();
    return vertx.eventBus().localConsumer(Addresses.clusterViewChanged(config.nodeId()), msg -> singletons.reconcile())
        .completion();
  }

  /** The sources running on this node now: checkpoints and the drain go to each. */
  private List<String> sourcesHere() {
    List<String> all = new ArrayList<>(ingestSources);
    all.addAll(singletons.runningHere());
    return all;
  }

  /** Every ingest instance has replayed its journal: now they may all listen. */
  private Future<Void> openIngest() {
    List<Future<Object>> opens = new ArrayList<>();
    for (String source : ingestSources) {
      opens.add(vertx.eventBus().request(Addresses.ingestControl(config.nodeId(), source),
          new JsonObject().put("action", "listen")).map(m -> null));
    }
    return Future.all(opens).mapEmpty();
  }

  /**
   * Every source has replayed its journal by now (ingest starts only after): dedup may forget which keys came
   * from its snapshot. Then checkpoints run on their interval (journals are truncated every second even without
   * snapshots).
   */
  private Future<Void> startCheckpoints(boolean snapshots) {
    checkpointer = new Checkpointer(vertx, shardMap, this::sourcesHere, snapshots);
    long interval = snapshots ? config.durability().checkpointIntervalMillis() : 1000;
    checkpointTimer = vertx.setPeriodic(interval, id -> checkpointer.run());
    // A Kafka source re-reads, after a restart, records a crash may have left undelivered, and a genesys-poll source
    // polls again the windows that were due; dedup must let their snapshot-remembered keys through once until it has
    // passed them, so the replay ends when every such source has.
    List<String> rereading = new ArrayList<>(kafkaSources);
    if (!shardMap.clustered()) {
      // Clustered, a poller may run elsewhere; its re-read windows pass dedup as the first copies they are there.
      config.pollSources().forEach(source -> rereading.add(source.sourceId()));
    }
    if (rereading.isEmpty()) {
      return checkpointer.endReplay();
    }
    List<Future<Object>> caughtUp = new ArrayList<>();
    for (String source : rereading) {
      caughtUp.add(vertx.eventBus().request(Addresses.ingestControl(config.nodeId(), source),
          new JsonObject().put("action", "caught-up"), new io.vertx.core.eventbus.DeliveryOptions()
              .setSendTimeout(Long.MAX_VALUE / 4)).map(m -> null));
    }
    Future.join(caughtUp).onComplete(ar -> checkpointer.endReplay()
        .onFailure(e -> LOG.warn("ending the dedup replay failed: {}", e.toString())));
    return Future.succeededFuture();
  }

  /** One dispatcher verticle per target instance; each owns the ordering keys hashed to it ({@link TargetRoutes}). */
  private Future<Void> deployTargets(List<TargetConfig> targets) {
    List<Future<String>> deployments = new ArrayList<>();
    for (TargetConfig target : targets) {
      for (int i = 0; i < target.instances(); i++) {
        deployments.add(vertx.deployVerticle(new DispatcherVerticle(target, targets.size(), overflows),
            new DeploymentOptions().setConfig(StageInstance.config(config.nodeId(), i, target.instances(),
                config.shards()))));
      }
    }
    return Future.all(deployments).mapEmpty();
  }

  /** Instances 0..n-1 of a sharded stage; each learns the shards it owns from the {@link ShardMap}. */
  private Future<Void> deploySharded(int instances, IntFunction<Deployable> factory) {
    List<Future<String>> deployments = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      deployments.add(vertx.deployVerticle(factory.apply(i)));
    }
    return Future.all(deployments).mapEmpty();
  }

  private Future<Void> deploy(Supplier<? extends Deployable> verticle, JsonObject deploymentConfig) {
    return vertx.deployVerticle(verticle.get(), new DeploymentOptions().setConfig(deploymentConfig)).mapEmpty();
  }

  /** Has every target instance park (and so settle) what it still holds, e.g. for a target that is down. */
  private Future<Void> parkStranded() {
    List<Future<Object>> parks = new ArrayList<>();
    for (TargetConfig target : config.enabledTargets()) {
      for (int i = 0; i < target.instances(); i++) {
        parks.add(vertx.eventBus().request(Addresses.dispatchPark(config.nodeId(), target.id(), i), "park",
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(30_000)).map(m -> null));
      }
    }
    // Their settlements are sent before they reply, so the checkpoint's position requests queue behind them.
    return Future.join(parks).transform(ar -> Future.succeededFuture());
  }

  /**
   * Graceful drain: stop taking requests, release what reorder holds, then wait (bounded) until every
   * admitted event is settled. Returns how many were still unsettled at the deadline.
   */
  public Future<Integer> drain() {
    long deadline = System.currentTimeMillis() + config.drainMillis();
    LOG.info("draining: closing ingest, flushing reorder buffers, waiting up to {} ms for settlement", config.drainMillis());
    List<Future<Object>> closes = new ArrayList<>();
    String node = config.nodeId();
    if (singletons != null) {
      // Each stops taking input and waits (bounded) for what it admitted; the remaining members start it anew.
      closes.add(singletons.stopAll().map(v -> null));
    }
    for (String source : ingestSources) {
      closes.add(vertx.eventBus().request(Addresses.ingestControl(node, source), new JsonObject().put("action", "close"))
          .map(m -> null));
    }
    return Future.join(closes).transform(ar -> {
      if (shardMap.clustered()) {
        // The shards go to the nodes that stay, reorder buffers included: their held events are not flushed early.
        return leaveCluster();
      }
      List<Future<Object>> flushes = new ArrayList<>();
      for (int shard = 0; shard < config.shards(); shard++) {
        String owner = shardMap.owner(ShardMap.Stage.REORDER, shard).node();
        flushes.add(vertx.eventBus().request(Addresses.reorderFlush(owner, shard), "flush").map(m -> null));
      }
      return Future.join(flushes).<Void>mapEmpty();
    }).transform(ar -> {
      List<Future<Integer>> waits = new ArrayList<>();
      for (String source : ingestSources) {
        long left = Math.max(0, deadline - System.currentTimeMillis());
        waits.add(vertx.eventBus().<JsonObject>request(Addresses.ingestControl(node, source),
                new JsonObject().put("action", "await").put("timeoutMs", left),
                new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(left + 5_000))
            .map(m -> m.body().getInteger("inFlight")));
      }
      return Future.join(waits).map(all -> {
        int unsettled = 0;
        for (Future<Integer> w : waits) {
          unsettled += w.succeeded() ? w.result() : 0;
        }
        if (unsettled > 0) {
          LOG.warn("drain deadline reached with [{}] events unsettled", unsettled);
        } else {
          LOG.info("drained: every admitted event is settled");
        }
        return unsettled;
      });
    }).compose(unsettled -> parkStranded().map(unsettled)).compose(unsettled -> {
      // A last checkpoint, so that the next start restores every shard and replays only what did not settle.
      vertx.cancelTimer(checkpointTimer);
      return checkpointer == null ? Future.succeededFuture(unsettled)
          : checkpointer.runFresh().transform(ar -> Future.succeededFuture(unsettled));
    });
  }
}
