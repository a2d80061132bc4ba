package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * An inbound call routed straight to a queue whose caller hangs up before an agent answers: customer.start,
 * acd.start, acd.end ABANDON, customer.end (the customer leg ends milliseconds after the queue leg).
 */
final class AbandonScript {

  private AbandonScript() {
  }

  static List<DetailEvent> events(Rng rng, Directory dir, String conversationId, long start) {
    String ani = "tel:+1555" + rng.digits(7);
    String dnis = rng.pick(dir.dnis);
    Leg customer = Leg.voice(rng, ani, dnis);
    Leg acd = Leg.voice(rng, ani, dnis);
    String queue = rng.pick(dir.voiceQueues);
    JsonArray skills = new JsonArray().add(rng.pick(dir.skills));
    List<DetailEvent> events = new ArrayList<>(4);

    long t = start;
    events.add(DetailEvent.of("customer.start", customer.body(conversationId, t)
        .put("conversationExternalContactIds", new JsonArray()).put("divisionId", Directory.DIVISION)));

    t += rng.between(100, 600);
    long queued = t;
    events.add(DetailEvent.of("acd.start", acd.body(conversationId, t).put("queueId", queue)
        .put("divisionId", Directory.DIVISION).put("conversationExternalContactIds", new JsonArray())
        .put("routingPriority", 0).put("requestedRoutingSkillIds", skills.copy())
        .put("skillExpressionApplied", false)));

    t += rng.exponential(40_000, 2_000, 600_000);
    events.add(DetailEvent.of("acd.end", acd.body(conversationId, t).put("disconnectType", "PEER")
        .put("queueId", queue).put("divisionId", Directory.DIVISION).put("acdOutcome", "ABANDON")
        .put("requestedRoutings", new JsonArray().add("STANDARD")).put("requestedRoutingSkillIds", skills)
        .put("routingPriority", 0).put("connectedDurationMs", t - queued)
        .put("conversationExternalContactIds", new JsonArray())));

    t += rng.between(2, 25);
    JsonObject end = customer.body(conversationId, t).put("disconnectType", "ENDPOINT")
        .put("conversationExternalContactIds", new JsonArray()).put("divisionId", Directory.DIVISION);
    events.add(DetailEvent.of("customer.end", end));
    return events;
  }
}
