package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.switchboard.state.Transition.Rejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationTest {

  private final LifecycleDefinition definition = Samples.shipped();

  @Test
  void verifiesThatTheVoiceSampleYieldsItsTimings() {
    Conversation conversation = replay(Samples.VOICE_ID, Samples.voice());
    Timings timings = conversation.timings();
    assertEquals(46_484, timings.queueWaitMs(), "acd.start → acd.end from eventTimes");
    assertEquals(343_944, timings.talkMs(), "user.start → user.end");
    assertEquals(43_056, timings.acwMs(), "wrapupDurationMs, 43 s");
    assertEquals(343_944 + 43_056, timings.handleMs());
    assertEquals(1741702139442L - 1741701727412L, timings.totalMs(), "first event → customer.end");
  }

  @Test
  void verifiesThatTheVoiceSnapshotIsCompact() {
    JsonObject snapshot = replay(Samples.VOICE_ID, Samples.voice()).snapshot();
    assertEquals(Samples.VOICE_ID, snapshot.getString("id"));
    assertEquals("closed", snapshot.getString("state"));
    assertEquals(7, snapshot.getInteger("stage"));
    assertEquals(new JsonArray().add("voice"), snapshot.getJsonArray("channels"));
    assertEquals(new JsonArray().add("ebcf5b0a-adb4-425b-be58-1e1d0ee59938"), snapshot.getJsonArray("queues"));
    assertEquals(new JsonArray().add("2a82977a-fb91-4f81-b300-33f719a7ae7a"), snapshot.getJsonArray("agents"));
    assertEquals(4, snapshot.getInteger("participants"));
    assertEquals(1741702182514L, snapshot.getLong("lastEventTime"));
    assertEquals(46_484, snapshot.getJsonObject("timings").getLong("queueWaitMs"));
    assertEquals(List.of("id", "state", "stage", "joinedMidway", "channels", "queues", "agents", "timings",
        "participants", "attributes", "lastEventTime"), List.copyOf(snapshot.fieldNames()));
    assertFalse(snapshot.getBoolean("joinedMidway"), "its customer.start was seen");
    assertEquals("billing_dispute", snapshot.getJsonObject("attributes").getString("ivr.intent"), "filters can use attributes");
  }

  @Test
  void verifiesThatTheFullViewHasParticipantsAttributesAndLastEvents() {
    JsonObject full = replay(Samples.VOICE_ID, Samples.voice()).toJson(3);
    JsonArray participants = full.getJsonArray("participants");
    assertEquals(List.of("customer", "ivr", "acd", "agent"),
        participants.stream().map(p -> ((JsonObject) p).getString("purpose")).toList());
    JsonObject agent = participants.getJsonObject(3);
    assertEquals("e64f6f80-e860-428f-9814-c850e0fd6993", agent.getString("id"));
    assertEquals("2a82977a-fb91-4f81-b300-33f719a7ae7a", agent.getString("userId"));
    assertEquals("ebcf5b0a-adb4-425b-be58-1e1d0ee59938", agent.getString("queueId"));
    assertEquals(new JsonArray().add("1797d7db-7de2-406e-b70d-0dc203a1df9d"), agent.getJsonArray("sessions"));
    assertEquals("billing_dispute", full.getJsonObject("attributes").getString("ivr.intent"));
    assertEquals(4, full.getJsonObject("attributes").size());
    assertEquals(new JsonObject().put("events", 10).put("late", 0).put("outOfBand", 1).put("rejected", 0),
        full.getJsonObject("counters"));
    JsonArray last = full.getJsonArray("lastEvents");
    assertEquals(3, last.size());
    assertEquals(new JsonObject().put("type", "acw").put("eventTime", 1741702182514L)
        .put("eventId", Samples.sample("eb-voice-10-acw.json").eventId())
        .put("sessionId", "1797d7db-7de2-406e-b70d-0dc203a1df9d").put("state", "closed")
        .put("late", false).put("outOfBand", false).putNull("violation"), last.getJsonObject(2));
    assertEquals("customer.end", last.getJsonObject(0).getString("type"));
    assertEquals("wrapping", last.getJsonObject(0).getString("state"));
    assertEquals(1741701727412L, full.getLong("firstEventTime"));
    assertTrue(full.getBoolean("terminal"));
  }

  @Test
  void verifiesThatTheMultichannelSampleHasBothChannelsQueuesAndAgents() {
    Conversation conversation = replay(Samples.MULTI_ID, Samples.multichannel());
    JsonObject snapshot = conversation.snapshot();
    assertEquals("closed", snapshot.getString("state"));
    assertEquals(10, snapshot.getInteger("stage"));
    assertEquals(new JsonArray().add("callback").add("message"), snapshot.getJsonArray("channels"));
    assertEquals(2, snapshot.getJsonArray("queues").size());
    assertEquals(new JsonArray().add("216096bd-8d9a-4fce-9c0d-97b965d721b4").add("f8b3cb98-30b5-4965-98ee-d4e24b98109a"),
        snapshot.getJsonArray("agents"));
    assertEquals(5, snapshot.getInteger("participants"));
    Timings timings = conversation.timings();
    assertEquals(93_570 + 3_010_530, timings.queueWaitMs());
    assertEquals(515_509 + 248_525, timings.talkMs());
    assertEquals(34_313, timings.acwMs());
  }

  @Test
  void verifiesThatARejectedEventIsCountedButNotRecorded() {
    // The start was seen, so an acd.end without its acd.start contradicts it (a midway first event would be adopted).
    Conversation conversation = new Conversation(Samples.VOICE_ID, definition, StateSettings.DEFAULTS);
    conversation.apply(Samples.sample("eb-voice-01-customer-start.json"), 5);
    ApplyResult result = conversation.apply(Samples.sample("eb-voice-05-acd-end.json"), 6);
    assertFalse(result.applied());
    assertFalse(result.delivered(), "dead-lettered by default");
    assertNull(result.violation());
    assertInstanceOf(Rejected.class, result.transition());
    assertEquals("started", result.state());
    JsonObject full = conversation.toJson(20);
    assertEquals(1, full.getJsonObject("counters").getInteger("rejected"));
    assertEquals(1, full.getJsonObject("counters").getInteger("events"));
    assertEquals(1, full.getJsonArray("lastEvents").size());
    assertEquals(1741701727412L, full.getLong("lastEventTime"));
    assertEquals(5, conversation.lastActivityMillis());
  }

  @Test
  void verifiesThatTheRingKeepsOnlyTheLastEventsAndUnknownTypes() {
    Conversation conversation = new Conversation(Samples.VOICE_ID, definition,
        new StateSettings(1000, 1000, 10, 4, 1024));
    Samples.voice().forEach(event -> conversation.apply(event, 1));
    conversation.apply(Samples.sample("edge-unknown-topic.json").asLate(), 2);
    JsonArray last = conversation.toJson(100).getJsonArray("lastEvents");
    assertEquals(List.of("customer.end", "user.end", "acw", "sentiment.changed"),
        last.stream().map(e -> ((JsonObject) e).getString("type")).toList());
    JsonObject unknown = last.getJsonObject(3);
    assertTrue(unknown.getBoolean("late"));
    assertTrue(unknown.getBoolean("outOfBand"));
    assertNull(unknown.getValue("sessionId"));
    JsonObject counters = conversation.toJson(0).getJsonObject("counters");
    assertEquals(1, counters.getInteger("late"));
    assertEquals(2, counters.getInteger("outOfBand"));
  }

  @Test
  void verifiesThatOversizedAttributesAreBoundedAndCounted() {
    Conversation conversation = new Conversation(Samples.VOICE_ID, definition, StateSettings.DEFAULTS);
    Samples.voice().subList(0, 6).forEach(event -> conversation.apply(event, 1));
    PipelineEvent oversized = Samples.sample("edge-oversized-attributes.json");
    assertTrue(oversized.eventBody().getJsonObject("attributes").size() > 300);
    assertTrue(conversation.apply(oversized, 2).applied());
    JsonObject full = conversation.toJson(0);
    int kept = full.getJsonObject("attributes").size();
    assertTrue(kept < 5, "kept " + kept);
    assertEquals(oversized.eventBody().getJsonObject("attributes").size() - kept, full.getInteger("attributesDropped"));
    assertTrue(full.getJsonObject("attributes").encode().length() <= StateSettings.DEFAULTS.maxAttributeBytes() + 100);
  }

  @Test
  void verifiesThatAnAttributesUpdateKeepsTheLastValues() {
    Conversation conversation = new Conversation("c-1", definition, StateSettings.DEFAULTS);
    conversation.apply(Samples.event("c-1", "attributes", 1, "p", null,
        new JsonObject().put("attributes", new JsonObject().put("a", "1").put("b", "2"))), 1);
    conversation.apply(Samples.event("c-1", "attributes", 2, "p", null,
        new JsonObject().put("attributes", new JsonObject().put("b", "3").putNull("a").put("c", "ü"))), 2);
    assertEquals(new JsonObject().put("b", "3").put("c", "ü"), conversation.toJson(0).getJsonObject("attributes"));
    assertEquals("new", conversation.state());
  }

  @Test
  void verifiesThatUnknownMediaTypesAreKeptLowerCase() {
    Conversation conversation = new Conversation("c-2", definition, StateSettings.DEFAULTS);
    conversation.apply(Samples.event("c-2", "customer.start", 1, "p", "s",
        new JsonObject().put("mediaType", "HOLOGRAM")), 1);
    assertEquals(new JsonArray().add("hologram"), conversation.snapshot().getJsonArray("channels"));
    assertNull(conversation.snapshot().getJsonObject("timings").getValue("totalMs"));
  }

  private Conversation replay(String id, List<PipelineEvent> events) {
    Conversation conversation = new Conversation(id, definition, StateSettings.DEFAULTS);
    long now = 1_000;
    for (PipelineEvent event : events) {
      assertTrue(conversation.apply(event, now++).applied(), event.eventType());
    }
    return conversation;
  }
}
