package io.switchboard.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Analytics conversations (as {@code GET …/details/jobs/{id}/results} returns them) for tests: inbound voice calls
 * through an IVR flow into a queue, most answered by an agent who wraps up, some abandoned in queue. Seeded, so a
 * test run is reproducible.
 */
public final class AnalyticsConversations {

  public static final String QUEUE = "ebcf5b0a-adb4-425b-be58-1e1d0ee59938";
  public static final String FLOW = "0a5b2a08-9092-43da-9762-727aa5fa1e19";

  private AnalyticsConversations() {
  }

  /** {@code count} conversations starting at random in [{@code fromMs}, {@code fromMs + spreadMs}). */
  public static List<JsonObject> voice(long seed, int count, long fromMs, long spreadMs) {
    Random random = new Random(seed);
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(voice(random, fromMs + (long) (random.nextDouble() * spreadMs), random.nextInt(10) == 0));
    }
    return out;
  }

  /**
   * How long a call's parts last: each is {@code min + random(spread)} ms; the agent is alerted {@code alertLeadMs}
   * before the queue segment ends.
   */
  public record Pace(int flowMinMs, int flowSpreadMs, int queueMinMs, int queueSpreadMs, int talkMinMs,
                     int talkSpreadMs, int wrapMinMs, int wrapSpreadMs, int alertLeadMs) {
    /** Calls as they go: tens of seconds in the IVR and the queue, minutes of talk. */
    public static final Pace REAL = new Pace(5_000, 25_000, 5_000, 55_000, 20_000, 220_000, 5_000, 55_000, 4_000);
    /** Calls over within seconds, for tests whose windows come and go in real time. */
    public static final Pace SECONDS = new Pace(400, 800, 400, 1_200, 1_000, 2_000, 300, 1_000, 300);
  }

  /** One call beginning at {@code t0}; {@code abandon}: the caller hangs up while queued. */
  public static JsonObject voice(Random random, long t0, boolean abandon) {
    return voice(random, t0, abandon, Pace.REAL);
  }

  /** One call beginning at {@code t0} at {@code pace}; {@code abandon}: the caller hangs up while queued. */
  public static JsonObject voice(Random random, long t0, boolean abandon, Pace pace) {
    String ani = "tel:+1555" + (1_000_000 + random.nextInt(8_999_999));
    long flowStart = t0 + 140;
    long flowEnd = flowStart + pace.flowMinMs() + random.nextInt(pace.flowSpreadMs());
    long acdStart = flowEnd + 130;
    long acdEnd = acdStart + pace.queueMinMs() + random.nextInt(pace.queueSpreadMs());
    String agentUser = uuid(random);
    JsonArray participants = new JsonArray();
    long customerEnd;
    long conversationEnd;
    if (abandon) {
      customerEnd = acdEnd;
      conversationEnd = acdEnd;
    } else {
      customerEnd = acdEnd + 8 + pace.talkMinMs() + random.nextInt(pace.talkSpreadMs());
      conversationEnd = customerEnd + 16 + pace.wrapMinMs() + random.nextInt(pace.wrapSpreadMs());
    }
    participants.add(participant(random, "customer", null, session(random, "voice", ani,
        segment(t0, customerEnd, "interact", null, "endpoint"))).put("externalContactId", uuid(random)));
    participants.add(participant(random, "ivr", null, session(random, "voice", ani,
        segment(flowStart, flowEnd, "ivr", null, "transfer")).put("flow", new JsonObject().put("flowId", FLOW)
        .put("flowType", "INBOUNDCALL").put("flowVersion", "14.0").put("exitReason", "TRANSFER")
        .put("transferType", "ACD"))));
    JsonObject acdSession = session(random, "voice", ani, segment(acdStart, acdEnd, "interact", QUEUE,
        abandon ? "peer" : "transfer")).put("usedRouting", "Standard")
        .put("requestedRoutings", new JsonArray().add("Standard"));
    participants.add(participant(random, "acd", null, acdSession));
    if (!abandon) {
      long talkStart = acdEnd + 8;
      long talkEnd = customerEnd + 16;
      participants.add(participant(random, "agent", agentUser, session(random, "voice", ani,
          segment(acdEnd - pace.alertLeadMs(), talkStart, "alert", QUEUE, null),
          segment(talkStart, talkEnd, "interact", QUEUE, "peer"),
          segment(talkEnd, conversationEnd, "wrapup", QUEUE, null)
              .put("wrapUpCode", "38b3e5ca-d594-4b8f-8c91-53f271079c7d").put("wrapUpNote", "ok"))));
    }
    return new JsonObject().put("conversationId", uuid(random)).put("conversationStart", iso(t0))
        .put("conversationEnd", iso(conversationEnd)).put("originatingDirection", "inbound")
        .put("participants", participants);
  }

  private static JsonObject participant(Random random, String purpose, String userId, JsonObject session) {
    JsonObject p = new JsonObject().put("participantId", uuid(random)).put("purpose", purpose)
        .put("sessions", new JsonArray().add(session));
    if (userId != null) {
      p.put("userId", userId);
    }
    return p;
  }

  private static JsonObject session(Random random, String media, String ani, JsonObject... segments) {
    JsonArray list = new JsonArray();
    for (JsonObject s : segments) {
      list.add(s);
    }
    return new JsonObject().put("sessionId", uuid(random)).put("mediaType", media).put("direction", "inbound")
        .put("ani", ani).put("dnis", "tel:+18005550100").put("provider", "Edge").put("segments", list);
  }

  private static JsonObject segment(long start, long end, String type, String queueId, String disconnect) {
    JsonObject s = new JsonObject().put("segmentStart", iso(start)).put("segmentEnd", iso(end))
        .put("segmentType", type);
    if (queueId != null) {
      s.put("queueId", queueId);
    }
    if (disconnect != null) {
      s.put("disconnectType", disconnect);
    }
    return s;
  }

  public static String iso(long ms) {
    return Instant.ofEpochMilli(ms).toString();
  }

  private static String uuid(Random random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
