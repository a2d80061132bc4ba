package io.switchboard.verticles;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.config.TargetConfig;
import io.switchboard.message.DeadLetter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * The web console: plain pages and ES modules under {@code /console/} (public, they hold no data) and the JSON they
 * read besides {@code /ready}, {@code /dlq*} and {@code /conversations/{id}}:
 * {@code GET /console/api/flow}, this node's cumulative counters and current gauges from the Micrometer registry
 * (the page turns successive samples into rates), and {@code GET /console/api/meta}, the targets and the DLQ's
 * reason and stage codes. The {@code /console/api} endpoints are behind the admin key ({@link AdminGuard}).
 */
final class ConsoleEndpoints {

  private static final String SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'";

  private static final Predicate<Meter> ANY = meter -> true;

  private final List<TargetConfig> targets;

  ConsoleEndpoints(List<TargetConfig> targets) {
    this.targets = List.copyOf(targets);
  }

  /**
   * @param probes the ingest listener's router, which serves {@code /ready}
   * @param admin  the router the console goes on: the same, or the admin listener's
   */
  void mount(Router probes, Router admin) {
    // Relative module paths need the trailing slash; the route "/console" also matches "/console/", hence the test.
    admin.get("/console").handler(ctx -> {
      if (ctx.request().path().endsWith("/")) {
        ctx.next();
      } else {
        ctx.redirect("/console/");
      }
    });
    admin.route("/console/*").handler(ConsoleEndpoints::secured);
    admin.get("/console/api/flow")
        .handler(ctx -> json(ctx, flow(PipelineMetrics.registry(), targetIds(), System.currentTimeMillis())));
    admin.get("/console/api/meta").handler(ctx -> json(ctx, meta()));
    // From the jar's console/ resources; a console/ folder in the working directory shadows them, which is how to
    // work on the pages without a rebuild (run from src/main/resources).
    admin.route("/console/*").handler(StaticHandler.create("console").setCachingEnabled(false));
    if (probes != admin) {
      // The page reads /ready on its own origin: on a separate admin listener, that one answers it from the probes.
      admin.get("/ready").handler(ctx -> probes.handle(ctx.request()));
    }
  }

  /** The pages load nothing from elsewhere and run no inline script: say so to the browser. */
  private static void secured(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", SECURITY_POLICY)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    ctx.next();
  }

  private List<String> targetIds() {
    return targets.stream().map(TargetConfig::id).toList();
  }

  private JsonObject meta() {
    JsonArray ids = new JsonArray();
    targets.forEach(t -> ids.add(new JsonObject().put("id", t.id()).put("type", t.type())
        .put("instances", t.instances())));
    return new JsonObject().put("targets", ids)
        .put("reasons", new JsonArray(Arrays.stream(DeadLetter.Reason.values()).map(DeadLetter.Reason::code).toList()))
        .put("stages", new JsonArray(Arrays.stream(DeadLetter.Stage.values())
            .map(s -> s.name().toLowerCase(Locale.ROOT)).toList()));
  }

  /**
   * This node's pipeline as cumulative counts and current depths: {@code at}, {@code stages} (events through each
   * stage), {@code ingested} (by source, by outcome), {@code targets} (by target: delivered, retried, deadLettered,
   * filtered, and the depths queued, inFlight, parked), {@code inFlight}, {@code reorder} (buffered, the lateness
   * bound in force per source in ms, late events), {@code deadLetters} (by stage, depth), {@code conversationsOpen}.
   *
   * @param targetIds the configured targets, listed even before their meters exist
   */
  static JsonObject flow(MeterRegistry registry, List<String> targetIds, long now) {
    Meters m = new Meters(registry);
    JsonObject ingested = new JsonObject();
    m.find("switchboard.events.ingested", ANY).forEach(c -> {
      String source = c.getId().getTag("source");
      ingested.put(source, ingested.getJsonObject(source, new JsonObject())
          .put(c.getId().getTag("outcome"), Math.round(Meters.value(c))));
    });
    JsonObject targetFlow = new JsonObject();
    for (String target : targetIds) {
      Predicate<Meter> counted = tag("target", target::equals);
      Predicate<Meter> instance = tag("instance", i -> i.startsWith(target + "#"));
      targetFlow.put(target, new JsonObject()
          .put("delivered", m.sum("switchboard.delivered", counted))
          .put("retried", m.sum("switchboard.target.retries", counted))
          .put("deadLettered", m.sum("switchboard.target.deadlettered", counted))
          .put("filtered", m.sum("switchboard.target.filtered", counted))
          .put("queued", m.sum("switchboard.target.queue.depth", instance))
          .put("inFlight", m.sum("switchboard.target.inflight", instance))
          .put("parked", m.sum("switchboard.target.overflow", instance)));
    }
    JsonObject bound = new JsonObject();
    m.find("switchboard.reorder.lateness.bound", ANY).forEach(g -> bound.put(g.getId().getTag("source"),
        Math.max(bound.getLong(g.getId().getTag("source"), 0L), Math.round(Meters.value(g) * 1000))));
    JsonObject byStage = new JsonObject();
    m.find("switchboard.deadletters", ANY).forEach(c -> byStage.put(c.getId().getTag("stage"),
        byStage.getLong(c.getId().getTag("stage"), 0L) + Math.round(Meters.value(c))));
    return new JsonObject().put("at", now)
        .put("stages", new JsonObject()
            .put("ingested", m.sum("switchboard.events.ingested", ANY))
            .put("accepted", m.sum("switchboard.events.ingested", tag("outcome", "accepted"::equals)))
            .put("duplicates", m.sum("switchboard.duplicates", ANY))
            .put("released", m.sum("switchboard.reorder.released", tag("how", h -> !h.startsWith("late_"))))
            .put("transitions", m.sum("switchboard.transitions", ANY))
            .put("delivered", m.sum("switchboard.delivered", ANY))
            .put("deadLettered", m.sum("switchboard.deadletters", ANY)))
        .put("ingested", ingested)
        .put("targets", targetFlow)
        .put("inFlight", m.sum("switchboard.inflight", ANY))
        .put("reorder", new JsonObject()
            .put("buffered", m.sum("switchboard.reorder.buffered", ANY))
            .put("latenessBoundMs", bound)
            .put("lateFlagged", m.sum("switchboard.reorder.released", tag("how", "late_flagged"::equals)))
            .put("lateDeadLettered", m.sum("switchboard.reorder.released", tag("how", "late_dead_lettered"::equals))))
        .put("deadLetters", new JsonObject().put("byStage", byStage)
            .put("depth", m.sum("switchboard.deadletters.depth", ANY)))
        .put("conversationsOpen", m.sum("switchboard.conversations.open", ANY));
  }

  private static Predicate<Meter> tag(String key, Predicate<String> value) {
    return meter -> {
      String v = meter.getId().getTag(key);
      return v != null && value.test(v);
    };
  }

  /** Counters and gauges of one registry, read alike: a counter's count, a gauge's value. */
  private record Meters(MeterRegistry registry) {

    static double value(Meter meter) {
      for (Measurement measurement : meter.measure()) {
        double v = measurement.getValue();
        return Double.isFinite(v) ? v : 0;
      }
      return 0;
    }

    List<Meter> find(String name, Predicate<Meter> which) {
      return registry.find(name).meters().stream().filter(which).toList();
    }

    long sum(String name, Predicate<Meter> which) {
      return Math.round(find(name, which).stream().mapToDouble(Meters::value).sum());
    }
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
  }
}
