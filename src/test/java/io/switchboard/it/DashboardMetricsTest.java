package io.switchboard.it;

import io.switchboard.verticles.SwitchboardLauncher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Keeps the shipped Grafana dashboard ({@value #DASHBOARD}) and Prometheus alert rules ({@value #RULES}) honest:
 * every metric name their PromQL queries is one that a running server exports on {@code GET /metrics}.
 *
 * <p>The server runs in-process with an HTTP webhook target (answering 503 once, so a delivery is retried), a Kafka
 * target and a Kafka source, and is sent what makes the lazily registered meters appear: accepted, duplicate,
 * unparseable and schema-invalid events, and one late event. The exported names are read from the scrape as series
 * names ({@code x_bucket}, {@code x_count}, {@code x_total} as they appear), so a query must name a series exactly.
 *
 * <p>The rules file is read line by line, not as YAML (no YAML parser is on the test class path): each rule's
 * {@code expr:} must be on one line. The test fails when it finds a block scalar ({@code expr: |}).
 *
 * <p>Blocking, from the test thread, like {@link KafkaSourceIntegrationTest}: the broker's helpers block.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DashboardMetricsTest {

  static final String DASHBOARD = "conf/grafana/switchboard-dashboard.json";
  static final String RULES = "conf/prometheus/switchboard-alerts.yml";
  /** Series Prometheus adds to every scrape itself: never in the target's text, still fine to query. */
  private static final Set<String> SYNTHESISED_BY_PROMETHEUS = Set.of("up");
  private static final String WITHHELD = "eb-voice-07-attributes.json";

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.builder().with(SwitchboardLauncher.vertxOptions(new VertxOptions()))
      .withMetrics(new MicrometerMetricsFactory()).build();

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void verifiesThatEveryMetricTheDashboardAndTheAlertRulesQueryIsExportedByARunningServer() throws Exception {
    Map<String, Set<String>> queried = new LinkedHashMap<>();
    dashboardExpressions(new JsonObject(Files.readString(Path.of(DASHBOARD))))
        .forEach(e -> queried.put("dashboard: " + e, PromQl.metricNames(e)));
    List<String> ruleLines = Files.readAllLines(Path.of(RULES));
    List<String> ruleExprs = ruleExpressions(ruleLines);
    assertEquals(ruleLines.stream().map(String::strip).filter(l -> l.matches("- (alert|record):.*")).count(),
        ruleExprs.size(), "one expr line per rule");
    ruleExprs.forEach(e -> queried.put("rules: " + e, PromQl.metricNames(e)));
    queried.forEach((expr, names) -> assertFalse(names.isEmpty(), "no metric name found in " + expr));
    Set<String> wanted = new TreeSet<>();
    queried.values().forEach(wanted::addAll);
    wanted.removeAll(SYNTHESISED_BY_PROMETHEUS);

    TestServer server = bootAndExercise();
    String[] scrape = new String[1];
    // Some meters appear only once their first event has passed (or the reorder bound is next published), and
    // closing Vert.x while events are in flight would cut the pipeline mid-event: poll until both are done.
    Eventually.poll(vertx, 30_000, () -> server.get("/metrics").map(r -> {
      scrape[0] = r.bodyAsString();
      return missing(wanted, exportedNames(scrape[0])).isEmpty() && inFlight(scrape[0]) == 0;
    })).otherwise(x -> null).await();
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/dashboard-metrics.txt"), scrape[0]);

    List<String> missing = missing(wanted, exportedNames(scrape[0]));
    List<String> offenders = new ArrayList<>();
    queried.forEach((expr, names) -> names.stream().filter(missing::contains).forEach(n -> offenders.add(n + " in " + expr)));
    assertEquals(List.of(), offenders, "queried but not exported (the scrape is in target/dashboard-metrics.txt)");
    System.out.println("dashboard and alert rules: " + queried.size() + " expressions, " + wanted.size()
        + " distinct exported metric names (plus " + SYNTHESISED_BY_PROMETHEUS + " from Prometheus)");
  }

  @Test
  void verifiesThatTheCheckFindsAMadeUpNameAndReportsItMissing() {
    assertEquals(Set.of("switchboard_made_up_seconds_bucket"), PromQl.metricNames("histogram_quantile(0.99, "
        + "sum by (le, target) (rate(switchboard_made_up_seconds_bucket{target=~\"$target\", le!=\"+Inf\", "
        + "instance=~\"${node:regex}\"}[$__rate_interval])))"));
    assertEquals(Set.of("a_total", "b_total", "up"), PromQl.metricNames("sum without (instance) (increase(a_total[15m] "
        + "offset 5m)) / ignoring(x) group_left(job) b_total > bool 1e3 and on (job) (up == 0) or vector(0)"));
    assertEquals(Set.of("switchboard_inflight"), PromQl.metricNames("label_values(switchboard_inflight, instance)"));
    assertEquals(List.of("switchboard_made_up_total"), missing(
        PromQl.metricNames("sum(rate(switchboard_made_up_total[5m])) + sum(switchboard_delivered_total)"),
        exportedNames("# TYPE switchboard_delivered_total counter\nswitchboard_delivered_total{target=\"a\"} 1.0\n")));
    assertEquals(List.of("x > 0"), ruleExpressions(List.of("  - alert: X", "    expr: 'x > 0'", "    for: 5m")));
    assertThrowsAssertion(() -> ruleExpressions(List.of("    expr: |", "      x > 0")));
  }

  /** The server, its targets and source, after it has seen each kind of traffic whose meters are registered lazily. */
  private TestServer bootAndExercise() throws InterruptedException {
    KafkaBroker broker = KafkaBroker.shared();
    String in = "dashboard-in-" + UUID.randomUUID();
    String out = "dashboard-out-" + UUID.randomUUID();
    broker.createTopic(in, 1);
    broker.createTopic(out, 1);
    Webhook hook = Webhook.start(vertx).await().script(n -> n == 1 ? Webhook.Reply.status(503) : Webhook.Reply.ok());

    JsonObject config = TestServer.config(dir);
    config.put("targets", new JsonArray()
        .add(new JsonObject().put("id", "hook").put("type", "http").put("url", hook.url())
            .put("retry", new JsonObject().put("initialBackoffMs", 20).put("maxBackoffMs", 200)))
        .add(new JsonObject().put("id", "kafka-out").put("type", "kafka")
            .put("bootstrapServers", broker.bootstrapServers()).put("topic", out)));
    config.put("sources", new JsonArray().add(new JsonObject().put("type", "kafka").put("id", "genesys")
        .put("bootstrapServers", broker.bootstrapServers()).put("topics", new JsonArray().add(in))
        .put("groupId", "dashboard-" + UUID.randomUUID())));
    TestServer server = TestServer.start(vertx, dir, config).await();

    List<String> voice = new ArrayList<>(Samples.VOICE);
    voice.remove(WITHHELD);
    server.postSamples(voice).await();
    server.post(Samples.bytes("eb-voice-01-customer-start.json")).await();           // a duplicate
    server.post(Samples.bytes("edge-invalid-json-truncated.txt")).await();           // unparseable, dead-lettered
    server.post(Samples.bytes("edge-wrong-types.json")).await();                     // schema-invalid, dead-lettered
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    Samples.MULTI.forEach(s -> records.add(new ProducerRecord<>(in, Samples.MULTI_ID, Samples.bytes(s).getBytes())));
    broker.produce(records);
    // Once the rest of its conversation has been released, the withheld event arrives late.
    Eventually.poll(vertx, 20_000, () -> Future.succeededFuture(hook.accepted().size() >= voice.size())).await();
    server.postSamples(List.of(WITHHELD)).await();
    System.gc(); // JVM meters of GC pauses are registered at the first pause: make sure there has been one
    return server;
  }

  /** Every {@code targets[].expr} of every panel, rows and nested panels included, and the variables' queries. */
  static List<String> dashboardExpressions(JsonObject dashboard) {
    List<String> exprs = new ArrayList<>();
    collectTargets(dashboard, exprs);
    JsonObject templating = dashboard.getJsonObject("templating", new JsonObject());
    for (Object v : templating.getJsonArray("list", new JsonArray())) {
      JsonObject variable = (JsonObject) v;
      if ("query".equals(variable.getString("type"))) {
        Object query = variable.getValue("query");
        exprs.add(query instanceof JsonObject q ? q.getString("query") : (String) query);
      }
    }
    return exprs;
  }

  private static void collectTargets(Object node, List<String> exprs) {
    if (node instanceof JsonObject object) {
      if (object.getValue("targets") instanceof JsonArray targets) {
        targets.forEach(t -> exprs.add(((JsonObject) t).getString("expr")));
      }
      object.forEach(e -> collectTargets(e.getValue(), exprs));
    } else if (node instanceof JsonArray array) {
      array.forEach(e -> collectTargets(e, exprs));
    }
  }

  /** The rules' {@code expr:} values, each on one line, quoted or not. */
  static List<String> ruleExpressions(List<String> lines) {
    List<String> exprs = new ArrayList<>();
    for (String line : lines) {
      String trimmed = line.strip();
      if (!trimmed.startsWith("expr:")) {
        continue;
      }
      String value = trimmed.substring("expr:".length()).strip();
      if (value.isEmpty() || value.startsWith("|") || value.startsWith(">")) {
        throw new AssertionError("keep each expr on one line (" + RULES + " is read line by line): " + line);
      }
      if (value.startsWith("'") && value.endsWith("'")) {
        value = value.substring(1, value.length() - 1).replace("''", "'");
      } else if (value.startsWith("\"") && value.endsWith("\"")) {
        value = new JsonArray("[" + value + "]").getString(0);
      }
      exprs.add(value);
    }
    return exprs;
  }

  /** The series names in Prometheus text: the name of each sample line, suffixes as exported. */
  static Set<String> exportedNames(String scrape) {
    Set<String> names = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        int end = line.indexOf('{') >= 0 ? line.indexOf('{') : line.indexOf(' ');
        names.add(line.substring(0, end));
      }
    }
    return names;
  }

  /** Admitted events not yet settled, summed over every source. */
  private static double inFlight(String scrape) {
    return scrape.lines().filter(l -> l.startsWith("switchboard_inflight{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  static List<String> missing(Set<String> wanted, Set<String> exported) {
    return wanted.stream().filter(n -> !exported.contains(n)).sorted().toList();
  }

  private static void assertThrowsAssertion(Runnable r) {
    try {
      r.run();
    } catch (AssertionError expected) {
      return;
    }
    throw new AssertionError("expected an AssertionError");
  }

  /**
   * The metric names in a PromQL expression (or a Grafana {@code label_values(metric, label)} variable query):
   * identifiers left once strings, label matchers, ranges, label lists ({@code by (…)}, {@code on (…)} …) and
   * template variables are removed, that are neither keywords nor called as functions.
   */
  static final class PromQl {

    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{[^}]*}|\\$\\w+|\\[\\[\\w+(?::\\w+)?]]");
    private static final Pattern MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGE = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_LIST =
        Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern LABEL_VALUES = Pattern.compile("^\\s*label_values\\((.*),\\s*\\w+\\s*\\)\\s*$");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w:.$])[A-Za-z_:][\\w:]*+(?!\\s*\\()");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
        "group_right", "offset", "bool", "and", "or", "unless", "atan2", "inf", "nan");

    private PromQl() {
    }

    static Set<String> metricNames(String expr) {
      Matcher labelValues = LABEL_VALUES.matcher(expr);
      String text = labelValues.matches() ? labelValues.group(1) : expr;
      text = STRING.matcher(text).replaceAll(" ");
      text = VARIABLE.matcher(text).replaceAll(" ");
      text = MATCHERS.matcher(text).replaceAll(" ");
      text = RANGE.matcher(text).replaceAll(" ");
      text = LABEL_LIST.matcher(text).replaceAll(" ");
      Set<String> names = new TreeSet<>();
      Matcher m = IDENTIFIER.matcher(text);
      while (m.find()) {
        if (!KEYWORDS.contains(m.group().toLowerCase(Locale.ROOT))) {
          names.add(m.group());
        }
      }
      return names;
    }
  }
}
