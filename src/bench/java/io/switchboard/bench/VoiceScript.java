package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * An answered inbound call, shaped like eb-voice-01…10: customer.start, flow.start, flow.end, acd.start,
 * acd.end ANSWERED, user.start, attributes, customer.end, user.end, acw. Gaps follow the samples: tens of
 * milliseconds between the legs Genesys opens together, seconds in the IVR, an exponential queue wait and
 * talk time, a wrap-up of about half a minute.
 */
final class VoiceScript {

  private VoiceScript() {
  }

  static List<DetailEvent> events(Rng rng, Directory dir, String conversationId, long start) {
    String ani = "tel:+1555" + rng.digits(7);
    String dnis = rng.pick(dir.dnis);
    Leg customer = Leg.voice(rng, ani, dnis);
    Leg ivr = Leg.voice(rng, ani, dnis);
    Leg acd = Leg.voice(rng, ani, dnis);
    Leg agent = Leg.voice(rng, ani, dnis);
    String contact = rng.chance(0.6) ? rng.uuid() : null;
    JsonArray contacts = contact == null ? new JsonArray() : new JsonArray().add(contact);
    String queue = rng.pick(dir.voiceQueues);
    String user = rng.pick(dir.agents);
    String flow = rng.pick(dir.flows);
    JsonArray skills = new JsonArray().add(rng.pick(dir.skills));
    List<DetailEvent> events = new ArrayList<>(10);

    long t = start;
    JsonObject customerStart = customer.body(conversationId, t);
    if (contact != null) {
      customerStart.put("externalContactId", contact);
    }
    events.add(DetailEvent.of("customer.start", customerStart.put("conversationExternalContactIds", contacts.copy())
        .put("divisionId", Directory.DIVISION)));

    t += rng.between(80, 300);
    long flowStart = t;
    events.add(DetailEvent.of("flow.start", ivr.body(conversationId, t).put("flowType", "INBOUNDCALL")
        .put("flowId", flow).put("divisionId", Directory.DIVISION).put("flowVersion", "14.0")
        .put("conversationExternalContactIds", contacts.copy())));

    t += rng.exponential(25_000, 4_000, 180_000);
    events.add(DetailEvent.of("flow.end", ivr.body(conversationId, t).put("disconnectType", "TRANSFER")
        .put("flowType", "INBOUNDCALL").put("flowId", flow).put("divisionId", Directory.DIVISION)
        .put("flowVersion", "14.0").put("connectedDurationMs", t - flowStart).put("exitReason", "TRANSFER")
        .put("transferType", "ACD").put("conversationExternalContactIds", contacts.copy())));

    t += rng.between(60, 250);
    long queued = t;
    events.add(DetailEvent.of("acd.start", acd.body(conversationId, t).put("queueId", queue)
        .put("divisionId", Directory.DIVISION).put("conversationExternalContactIds", contacts.copy())
        .put("routingPriority", 0).put("requestedRoutingSkillIds", skills.copy())
        .put("skillExpressionApplied", false)));

    t += rng.exponential(45_000, 2_000, 900_000);
    events.add(DetailEvent.of("acd.end", acd.body(conversationId, t).put("disconnectType", "TRANSFER")
        .put("queueId", queue).put("divisionId", Directory.DIVISION).put("acdOutcome", "ANSWERED")
        .put("answeredUserId", user).put("requestedRoutings", new JsonArray().add("STANDARD"))
        .put("usedRouting", "STANDARD").put("requestedRoutingSkillIds", skills.copy())
        .put("requestedLanguageId", rng.pick(dir.languageIds)).put("routingPriority", 0)
        .put("connectedDurationMs", t - queued).put("conversationExternalContactIds", contacts.copy())));

    t += rng.between(4, 20);
    long connected = t;
    events.add(DetailEvent.of("user.start", agent.body(conversationId, t).put("userId", user)
        .put("divisionId", Directory.DIVISION).put("queueId", queue)
        .put("conversationExternalContactIds", contacts.copy())));

    // Attributes carry no session: participant plus a communications[] list instead (eb-voice-07).
    t += rng.between(800, 6_000);
    events.add(DetailEvent.of("attributes", new JsonObject().put("eventTime", t)
        .put("conversationId", conversationId).put("participantId", customer.participantId())
        .put("attributes", new JsonObject()
            .put("context.accountNumber", "00-" + rng.digits(4) + "-" + rng.digits(4))
            .put("ivr.intent", rng.pick(Directory.INTENTS)).put("ivr.language", rng.pick(Directory.LANGUAGES))
            .put("crm.caseId", "CASE-" + rng.digits(5)))
        .put("conversationExternalContactIds", contacts.copy())
        .put("communications", new JsonArray().add(new JsonObject().put("id", customer.sessionId())
            .put("mediaType", "VOICE")))));

    t = Math.max(t + 1, connected + rng.exponential(240_000, 20_000, 1_800_000));
    JsonObject customerEnd = customer.body(conversationId, t).put("disconnectType", "ENDPOINT");
    if (contact != null) {
      customerEnd.put("externalContactId", contact);
    }
    events.add(DetailEvent.of("customer.end", customerEnd.put("interactingDurationMs", t - connected)
        .put("conversationExternalContactIds", contacts.copy()).put("divisionId", Directory.DIVISION)));

    // The agent leg ends a few milliseconds after the caller hangs up (PEER).
    t += rng.between(5, 40);
    long ended = t;
    events.add(DetailEvent.of("user.end", agent.body(conversationId, t).put("disconnectType", "PEER")
        .put("userId", user).put("divisionId", Directory.DIVISION).put("queueId", queue)
        .put("interactingDurationMs", t - connected)
        .put("heldDurationMs", rng.chance(0.3) ? rng.between(5_000, 90_000) : 0)
        .put("alertingDurationMs", rng.between(1_500, 9_000))
        .put("conversationExternalContactIds", contacts.copy())));

    t += rng.exponential(35_000, 5_000, 600_000);
    events.add(DetailEvent.of("acw", agent.body(conversationId, t).put("userId", user).put("queueId", queue)
        .put("wrapupCode", rng.pick(dir.wrapupCodes)).put("wrapupNotes", rng.pick(Directory.WRAPUP_NOTES))
        .put("wrapupDurationMs", t - ended).put("conversationExternalContactIds", contacts)));
    return events;
  }
}
