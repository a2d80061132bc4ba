package io.switchboard.verticles;

import io.switchboard.cluster.HazelcastSetup;
import io.switchboard.config.ConfigException;
import io.switchboard.config.SwitchboardConfig;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.dryrun.DryRunCommand;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar switchboard.jar [-conf file.json]}: the Vert.x 5 application launcher, plus what it
 * does not do for us. With no {@code -conf} it runs the embedded default config; an unreadable or
 * invalid {@code -conf} stops the start with a message (the stock launcher only warns). The config is parsed
 * once, here, before Vert.x is built (it sizes the event loops), and handed to {@link MainVerticle} as is. It enables
 * Prometheus metrics and drains the pipeline on SIGTERM before Vert.x closes.
 *
 * <p>Clustered: the launcher builds Vert.x clustered only when its {@code -cluster} flag is on the command line, so
 * {@code cluster.enabled} adds that flag; either way the cluster manager is Hazelcast, configured from the
 * {@code cluster} section by {@link HazelcastSetup}. Vert.x leaves the cluster when it closes, after the drain.
 */
public final class SwitchboardLauncher implements VertxApplicationHooks {

  private static final Logger LOG = LoggerFactory.getLogger(SwitchboardLauncher.class);
  /**
   * Vert.x's own per-message and per-request meters that Switchboard replaces with cheaper ones of its own: every
   * event crosses the event bus about seven times and makes one HTTP request per target, and these meters resolved
   * their tags and looked up their meter on each (14 % of the event loops' Java samples under load, BENCHMARKS.md).
   * Stage throughput, backlogs and per-target attempt latency are Switchboard's {@code switchboard_*} metrics; the
   * ingest side's {@code vertx_http_server_*} meters stay.
   */
  static final Set<String> DISABLED_VERTX_METRICS = Set.of(MetricsDomain.EVENT_BUS.toCategory(),
      MetricsDomain.HTTP_CLIENT.toCategory());
  static final String DEFAULT_CONFIG = "conf/switchboard.json";

  /** The launcher's own spellings of its clustered flag (picocli names of VertxApplicationCommand). */
  private static final Set<String> CLUSTER_FLAGS = Set.of("-c", "-cluster", "--cluster");

  private final JsonObject json;
  private final SwitchboardConfig config;
  /** The Hazelcast member config when clustered, else null. */
  private final com.hazelcast.config.Config hazelcast;
  private HazelcastClusterManager clusterManager;

  private SwitchboardLauncher(JsonObject json, SwitchboardConfig config, com.hazelcast.config.Config hazelcast) {
    this.json = json;
    this.config = config;
    this.hazelcast = hazelcast;
  }

  public static void main(String[] args) {
    String conf = confArgument(args);
    boolean clusterFlag = Arrays.stream(args).anyMatch(CLUSTER_FLAGS::contains);
    JsonObject json;
    SwitchboardConfig config;
    try {
      json = conf != null ? readConf(conf) : embeddedDefault();
      if (clusterFlag) {
        json = withClusterEnabled(json);
      }
      config = SwitchboardConfig.fromJson(json, TargetTypes.BUILT_IN);
    } catch (UnusableConf | ConfigException e) {
      System.err.println("switchboard: cannot start: " + (conf != null ? "-conf " + conf + ": " : "") + e.getMessage());
      System.exit(1);
      return;
    }
    if (args.length > 0 && DryRunCommand.NAME.equals(args[0])) {
      // After the config is read and checked as for a start, so that a bad one fails the same way.
      System.exit(DryRunCommand.main(Arrays.copyOfRange(args, 1, args.length), config));
    }
    com.hazelcast.config.Config hazelcast = null;
    if (config.cluster().enabled()) {
      try {
        hazelcast = HazelcastSetup.of(config.cluster(), config.nodeId());
      } catch (IllegalArgumentException e) {
        System.err.println("switchboard: cannot start: " + e.getMessage());
        System.exit(1);
        return;
      }
      if (!clusterFlag) {
        args = Arrays.copyOf(args, args.length + 1);
        args[args.length - 1] = "-cluster";
      }
    }
    int code = new VertxApplication(args, new SwitchboardLauncher(json, config, hazelcast)).launch();
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Vert.x options shared by the launcher and the tests: Prometheus metrics on. */
  public static VertxOptions vertxOptions(VertxOptions options) {
    return options.setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        .setDisabledMetricsCategories(DISABLED_VERTX_METRICS)
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
  }

  /**
   * {@code json} with {@code cluster.enabled} set, for a {@code -cluster} on the command line: the section's other
   * values (or its defaults) then configure Hazelcast, and the config is validated as a member's.
   */
  static JsonObject withClusterEnabled(JsonObject json) {
    JsonObject copy = json.copy();
    Object cluster = copy.getValue("cluster");
    if (cluster == null) {
      copy.put("cluster", new JsonObject().put("enabled", true));
    } else if (cluster instanceof JsonObject section) {
      section.put("enabled", true);
    }
    return copy;
  }

  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    options.setEventLoopPoolSize(config.eventLoops());
    VertxBuilder builder = io.vertx.core.Vertx.builder().with(vertxOptions(options))
        .withMetrics(new MicrometerMetricsFactory());
    if (hazelcast != null) {
      // The launcher applies -cluster-host/-cluster-port after this hook, so an explicit flag still wins.
      HazelcastSetup.eventBus(config.cluster(), options.getEventBusOptions());
      clusterManager = new HazelcastClusterManager(hazelcast);
      builder.withClusterManager(clusterManager);
    }
    return builder;
  }

  @Override
  public void afterVertxStarted(HookContext context) {
    if (clusterManager != null) {
      com.hazelcast.cluster.Cluster cluster = clusterManager.getHazelcastInstance().getCluster();
      LOG.info("node [{}] joined Hazelcast cluster [{}] as {}, members configured {}: now {}", config.nodeId(),
          hazelcast.getClusterName(), describe(cluster.getLocalMember()), config.cluster().members(),
          cluster.getMembers().stream().map(SwitchboardLauncher::describe).toList());
    }
  }

  /** {@code nodeId@host:port}. */
  private static String describe(com.hazelcast.cluster.Member member) {
    return HazelcastSetup.nodeIdOf(member) + "@" + member.getAddress().getHost() + ":" + member.getAddress().getPort();
  }

  @Override
  public java.util.function.Supplier<? extends io.vertx.core.Deployable> verticleSupplier() {
    return () -> new MainVerticle(config);
  }

  /** The JSON that {@code main} read and parsed, whatever the launcher read itself: the two must not differ. */
  @Override
  public JsonObject afterConfigParsed(JsonObject launcherConfig) {
    return json;
  }

  private static JsonObject embeddedDefault() {
    try (InputStream in = SwitchboardLauncher.class.getClassLoader().getResourceAsStream(DEFAULT_CONFIG)) {
      if (in == null) {
        throw new IllegalStateException("embedded default config " + DEFAULT_CONFIG + " is missing from the jar");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read embedded default config", e);
    }
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    try {
      context.vertx().eventBus().request(io.switchboard.bus.Addresses.drain(config.nodeId()), "drain",
              new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(TimeUnit.MINUTES.toMillis(60)))
          .toCompletionStage().toCompletableFuture().get(65, TimeUnit.MINUTES);
    } catch (Exception e) {
      LOG.warn("drain before stop failed: {}", e.toString());
    }
  }

  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    System.err.println("switchboard: cannot start: " + t.getMessage());
  }

  private static String confArgument(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-conf") || a.equals("--conf") || a.equals("-config") || a.equals("--config")) && i + 1 < args.length) {
        return args[i + 1];
      }
      if (a.startsWith("-conf=") || a.startsWith("--conf=")) {
        return a.substring(a.indexOf('=') + 1);
      }
    }
    return null;
  }

  /** Reads {@code conf}, a file path or inline JSON as the launcher accepts; fails saying why it is unusable. */
  private static JsonObject readConf(String conf) throws UnusableConf {
    String text = conf.trim();
    if (!text.startsWith("{")) {
      Path path = Path.of(conf);
      if (!Files.isRegularFile(path)) {
        throw new UnusableConf("no such file");
      }
      try {
        text = Files.readString(path);
      } catch (IOException e) {
        throw new UnusableConf("unreadable: " + e.getMessage());
      }
    }
    try {
      return new JsonObject(text);
    } catch (io.vertx.core.json.DecodeException e) {
      throw new UnusableConf("not valid JSON: " + e.getMessage());
    }
  }

  /** A {@code -conf} that cannot even be read as a JSON object. */
  private static final class UnusableConf extends Exception {
    private static final long serialVersionUID = 1L;

    UnusableConf(String problem) {
      super(problem);
    }
  }
}
