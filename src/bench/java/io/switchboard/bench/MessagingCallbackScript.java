package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * A web message answered by one agent, who books a callback that a second agent makes in the same
 * conversation; the messaging session ends later by inactivity. Shaped like eb-multi-01…11: customer.start,
 * acd.start, acd.end, user.start, user.end (message), acd.start, acd.end, user.start, user.end, acw
 * (callback), customer.end.
 */
final class MessagingCallbackScript {

  private MessagingCallbackScript() {
  }

  static List<DetailEvent> events(Rng rng, Directory dir, String conversationId, long start) {
    Leg customer = Leg.message(rng, rng.uuid(), dir.messengerDeployment);
    JsonObject messaging = customer.mediaFields();
    Leg chatQueue = Leg.message(rng, messaging.getString("addressFrom"), dir.messengerDeployment);
    Leg chatAgent = Leg.message(rng, messaging.getString("addressFrom"), dir.messengerDeployment);
    String chatUser = rng.pick(dir.agents);
    String callbackUser = rng.pick(dir.agents);
    List<DetailEvent> events = new ArrayList<>(11);

    long t = start;
    events.add(DetailEvent.of("customer.start", customer.body(conversationId, t)
        .put("divisionId", Directory.DIVISION).put("conversationExternalContactIds", new JsonArray())));

    t += rng.between(1_500, 4_000);
    long queued = t;
    events.add(DetailEvent.of("acd.start", chatQueue.body(conversationId, t).put("queueId", Directory.CHAT_QUEUE)
        .put("divisionId", Directory.DIVISION).put("routingPriority", 0)));

    t += rng.exponential(60_000, 3_000, 900_000);
    events.add(answered(chatQueue.body(conversationId, t), Directory.CHAT_QUEUE, chatUser, 0, t - queued));

    t += rng.between(5, 20);
    long chatting = t;
    events.add(DetailEvent.of("user.start", chatAgent.body(conversationId, t).put("userId", chatUser)
        .put("divisionId", Directory.DIVISION).put("queueId", Directory.CHAT_QUEUE)));

    t += rng.exponential(420_000, 30_000, 1_800_000);
    long chatEnded = t;
    events.add(DetailEvent.of("user.end", chatAgent.body(conversationId, t).put("disconnectType", "CLIENT")
        .put("userId", chatUser).put("divisionId", Directory.DIVISION).put("queueId", Directory.CHAT_QUEUE)
        .put("interactingDurationMs", t - chatting).put("alertingDurationMs", rng.between(2_000, 12_000))));

    // The agent books the callback as they leave the chat; it is scheduled 10–60 minutes out.
    t += rng.between(300, 900);
    long scheduled = t + rng.between(600_000, 3_600_000);
    String number = "tel:+1555" + rng.digits(7);
    String name = rng.pick(Directory.CALLBACK_NAMES);
    Leg callbackQueue = Leg.callback(rng, name, number, scheduled);
    Leg callbackAgent = Leg.callback(rng, name, number, scheduled);
    long callbackQueued = t;
    events.add(DetailEvent.of("acd.start", callbackQueue.body(conversationId, t)
        .put("queueId", Directory.CALLBACK_QUEUE).put("divisionId", Directory.DIVISION).put("routingPriority", 5)));

    t = scheduled + rng.exponential(300_000, 10_000, 3_600_000);
    events.add(answered(callbackQueue.body(conversationId, t), Directory.CALLBACK_QUEUE, callbackUser, 5,
        t - callbackQueued));

    t += rng.between(5, 25);
    long calling = t;
    events.add(DetailEvent.of("user.start", callbackAgent.body(conversationId, t).put("userId", callbackUser)
        .put("divisionId", Directory.DIVISION).put("queueId", Directory.CALLBACK_QUEUE)));

    long dialing = rng.between(5_000, 30_000);
    t += dialing + rng.exponential(180_000, 20_000, 1_200_000);
    long callbackEnded = t;
    events.add(DetailEvent.of("user.end", callbackAgent.body(conversationId, t).put("disconnectType", "CLIENT")
        .put("userId", callbackUser).put("divisionId", Directory.DIVISION)
        .put("queueId", Directory.CALLBACK_QUEUE).put("interactingDurationMs", t - calling - dialing)
        .put("alertingDurationMs", rng.between(1_500, 9_000)).put("callbackDurationMs", t - calling)
        .put("dialingDurationMs", dialing)));

    t += rng.exponential(30_000, 5_000, 600_000);
    events.add(DetailEvent.of("acw", callbackAgent.body(conversationId, t).put("userId", callbackUser)
        .put("queueId", Directory.CALLBACK_QUEUE).put("wrapupCode", rng.pick(dir.wrapupCodes))
        .put("wrapupNotes", rng.pick(Directory.WRAPUP_NOTES)).put("wrapupDurationMs", t - callbackEnded)));

    // The web-messaging session outlives both agents and closes by inactivity (eb-multi-11).
    t += rng.exponential(180_000, 10_000, 1_800_000);
    events.add(DetailEvent.of("customer.end", customer.body(conversationId, t).put("disconnectType", "INACTIVITY")
        .put("divisionId", Directory.DIVISION).put("interactingDurationMs", chatEnded - chatting)
        .put("conversationExternalContactIds", new JsonArray())));
    return events;
  }

  private static DetailEvent answered(JsonObject body, String queue, String user, int priority, long waited) {
    return DetailEvent.of("acd.end", body.put("disconnectType", "TRANSFER").put("queueId", queue)
        .put("divisionId", Directory.DIVISION).put("acdOutcome", "ANSWERED").put("answeredUserId", user)
        .put("requestedRoutings", new JsonArray().add("STANDARD")).put("usedRouting", "STANDARD")
        .put("routingPriority", priority).put("connectedDurationMs", waited));
  }
}
