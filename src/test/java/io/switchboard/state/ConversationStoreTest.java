package io.switchboard.state;

import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Violation;
import io.switchboard.state.Transition.Rejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationStoreTest {

  private final LifecycleDefinition definition = Samples.shipped();

  @Test
  void verifiesThatConversationsAreCreatedOnTheirFirstEventAndCounted() {
    ConversationStore store = new ConversationStore(definition, StateSettings.DEFAULTS);
    Samples.voice().forEach(event -> store.apply(event, 100));
    List<PipelineEvent> multi = Samples.multichannel();
    multi.subList(0, 4).forEach(event -> store.apply(event, 100));
    assertEquals(2, store.size());
    assertEquals(1, store.openCount());
    assertEquals(1, store.terminalCount());
    assertEquals(1, store.countByState().get("closed"));
    assertEquals(1, store.countByState().get("connected"));
    assertEquals(0, store.countByState().get("new"));
    assertEquals("connected", store.get(Samples.MULTI_ID).state());
  }

  @Test
  void verifiesThatAConversationFirstSeenMidwayIsAdoptedAndKept() {
    ConversationStore store = new ConversationStore(definition, StateSettings.DEFAULTS);
    ApplyResult result = store.apply(Samples.sample("eb-voice-05-acd-end.json"), 1);
    assertTrue(result.applied());
    assertTrue(result.adoptedMidway());
    assertEquals("ringing", result.state());
    assertTrue(store.get(Samples.VOICE_ID).joinedMidway());
    assertTrue(store.get(Samples.VOICE_ID).snapshot().getBoolean("joinedMidway"), "targets are told the state is inferred");
    assertEquals(1, store.size());
    assertEquals(1, store.countByState().get("ringing"));
    assertEquals(0, store.countByState().get("new"));
    assertFalse(store.apply(Samples.sample("eb-voice-06-user-start.json"), 2).adoptedMidway(), "adopted once");
  }

  @Test
  void verifiesThatAConversationWhoseFirstEventIsRejectedIsNotKept() {
    // A definition where 'end' can only close: a first 'end' leaves nothing to infer, so it is judged from 'new'.
    ConversationStore store = new ConversationStore(ended(), StateSettings.DEFAULTS);
    ApplyResult result = store.apply(Samples.event("c-1", "end", 1, "p", "s", null), 1);
    assertFalse(result.applied());
    assertEquals(new Rejected(Reason.INVALID_TRANSITION, "end for session s without a prior start"),
        result.transition());
    assertNull(store.get("c-1"));
    assertEquals(0, store.size());
    assertEquals(0, store.countByState().get("new"));
  }

  @Test
  void verifiesThatAFlaggedFirstEventKeepsItsConversation() {
    ConversationStore store = new ConversationStore(ended(), StateSettings.DEFAULTS.withFlagViolations(true));
    ApplyResult result = store.apply(Samples.event("c-1", "end", 1, "p", "s", null), 1);
    assertTrue(result.flagged());
    assertTrue(result.delivered());
    assertEquals(new Violation(Reason.INVALID_TRANSITION, "end for session s without a prior start"),
        result.violation());
    assertEquals("new", store.get("c-1").state(), "recorded, state unchanged");
    assertEquals(1, store.countByState().get("new"));
  }

  @Test
  void verifiesThatAShardRecoveredAfterACrashFlagsItsConversationsViolations() {
    // A cluster's shard re-owned after its owner crashed: every conversation seen there is known only partly, even
    // one seen from its start, and stays so when the shard moves on (snapshot and handover carry it).
    List<PipelineEvent> voice = Samples.voice();
    ConversationStore recovered = new ConversationStore(definition, StateSettings.DEFAULTS);
    recovered.recoverAfterCrash();
    voice.subList(0, 3).forEach(event -> recovered.apply(event, 1));
    ApplyResult flagged = recovered.apply(voice.get(4), 2);
    assertTrue(flagged.flagged(), "acd.end before its acd.start is flagged, not dead-lettered");
    assertTrue(flagged.delivered());
    assertTrue(recovered.get(Samples.VOICE_ID).unsure());
    // The same events in an ordinary store: the violation is dead-lettered.
    ConversationStore known = new ConversationStore(definition, StateSettings.DEFAULTS);
    voice.subList(0, 3).forEach(event -> known.apply(event, 1));
    ApplyResult rejected = known.apply(voice.get(4), 2);
    assertFalse(rejected.delivered());
    assertFalse(known.get(Samples.VOICE_ID).unsure());
    // A handover or a snapshot clears the store's own mark: conversations seen afterwards are ordinary again.
    recovered.clear();
    voice.subList(0, 3).forEach(event -> recovered.apply(event, 1));
    assertFalse(recovered.apply(voice.get(4), 2).delivered());
  }

  @Test
  void verifiesThatFlaggedViolationsAreDeliveredAndLeaveTheStateUnchanged() {
    ConversationStore store = new ConversationStore(definition, StateSettings.DEFAULTS.withFlagViolations(true));
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 3).forEach(event -> store.apply(event, 1));
    // acd.end before its acd.start, in a conversation whose start was seen: a contradiction.
    ApplyResult flagged = store.apply(voice.get(4), 2);
    assertTrue(flagged.flagged());
    assertTrue(flagged.delivered());
    assertFalse(flagged.applied());
    assertEquals("ivr", flagged.state());
    assertEquals(2, flagged.stage());
    assertEquals(Reason.INVALID_TRANSITION, flagged.violation().reason());
    assertEquals("acd.end for session 49ca8286-e126-406e-b164-a88dfd0c1063 without a prior acd.start",
        flagged.violation().error());
    JsonObject full = store.get(Samples.VOICE_ID).toJson(20);
    assertEquals(1, full.getJsonObject("counters").getInteger("rejected"));
    assertEquals(4, full.getJsonObject("counters").getInteger("events"), "recorded, like an out-of-band event");
    JsonObject last = full.getJsonArray("lastEvents").getJsonObject(3);
    assertEquals("acd.end", last.getString("type"));
    assertEquals("invalid_transition", last.getString("violation"));
    assertEquals("ivr", last.getString("state"));
    assertEquals(0, full.getJsonObject("timings").getLong("queueWaitMs"));
    // The flagged acd.end recorded no session: once its acd.start arrives, it applies normally.
    assertEquals("queued", store.apply(voice.get(3), 3).state());
    ApplyResult again = store.apply(voice.get(4), 4);
    assertTrue(again.applied());
    assertNull(again.violation());
    assertEquals("ringing", again.state());
    assertEquals(1, store.countByState().get("ringing"));
  }

  @Test
  void verifiesThatTheStageCapFollowsTheSameSwitch() {
    ConversationStore store = new ConversationStore(definition.withMaxStages(3),
        StateSettings.DEFAULTS.withFlagViolations(true));
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 4).forEach(event -> store.apply(event, 1));
    ApplyResult capped = store.apply(voice.get(4), 2);
    assertTrue(capped.flagged());
    assertEquals(Reason.STAGE_CAP_EXCEEDED, capped.violation().reason());
    assertEquals("queued", capped.state());
    assertEquals("stage_cap_exceeded",
        store.get(Samples.VOICE_ID).toJson(1).getJsonArray("lastEvents").getJsonObject(0).getString("violation"));
  }

  /** start: new → open; end (requires start) can only close: nothing to infer from it. */
  private static LifecycleDefinition ended() {
    return LifecycleDefinition.fromJson(new JsonObject()
        .put("states", new JsonArray().add("new").add("open").add("done"))
        .put("initial", "new")
        .put("terminal", new JsonArray().add("done"))
        .put("maxStages", 8)
        .put("events", new JsonObject()
            .put("start", new JsonObject().put("opens", "customer"))
            .put("end", new JsonObject().put("closes", "customer").put("requires", "start")))
        .put("transitions", new JsonArray()
            .add(new JsonObject().put("on", "start").put("from", new JsonArray().add("new")).put("to", "open"))
            .add(new JsonObject().put("on", "end").put("from", "*").put("to", "done"))));
  }

  @Test
  void verifiesThatClosedConversationsAreEvictedAfterTheirRetention() {
    ConversationStore store = new ConversationStore(definition, new StateSettings(1_000, 60_000, 100, 20, 1024));
    List<PipelineEvent> voice = Samples.voice();
    for (int i = 0; i < voice.size(); i++) {
      store.apply(voice.get(i), 10_000 + i);
    }
    assertEquals(0, store.evict(11_008));
    assertNotNull(store.get(Samples.VOICE_ID));
    assertEquals(1, store.evict(11_009));
    assertNull(store.get(Samples.VOICE_ID));
    assertEquals(1, store.evictedClosed());
    assertEquals(0, store.terminalCount());
    assertEquals(0, store.countByState().get("closed"));
  }

  @Test
  void verifiesThatIdleConversationsAreEvictedInAnyState() {
    ConversationStore store = new ConversationStore(definition, new StateSettings(1_000, 60_000, 100, 20, 1024));
    List<PipelineEvent> multi = Samples.multichannel();
    store.apply(multi.get(0), 0);
    Samples.voice().subList(0, 3).forEach(event -> store.apply(event, 30_000));
    store.apply(multi.get(1), 40_000);
    assertEquals(0, store.evict(89_999));
    assertEquals(1, store.evict(90_000), "voice, last active at 30 s, in state ivr");
    assertNull(store.get(Samples.VOICE_ID));
    assertNotNull(store.get(Samples.MULTI_ID), "touched again at 40 s, after voice");
    assertEquals(1, store.evict(100_000));
    assertEquals(0, store.size());
    assertEquals(2, store.evictedIdle());
    assertEquals(0, store.openCount());
  }

  @Test
  void verifiesThatTheCountBoundEvictsTheLeastRecentlyActive() {
    ConversationStore store = new ConversationStore(definition, new StateSettings(1_000, 60_000, 2, 20, 1024));
    Script a = new Script("a");
    Script b = new Script("b");
    Script c = new Script("c");
    store.apply(a.customerStart(), 1);
    store.apply(b.customerStart(), 2);
    store.apply(a.flowStart(), 3);
    store.apply(c.customerStart(), 4);
    assertNull(store.get("b"));
    assertNotNull(store.get("a"));
    assertNotNull(store.get("c"));
    assertEquals(1, store.evictedOverflow());
    assertEquals(2, store.openCount());
    assertEquals(1, store.countByState().get("ivr"));
    assertEquals(1, store.countByState().get("started"));
  }
}
