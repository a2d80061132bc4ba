package io.switchboard.state;

import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.PipelineEvent;
import io.switchboard.state.Transition.Applied;
import io.switchboard.state.Transition.Rejected;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationLifecycleTest {

  private final LifecycleDefinition definition = Samples.shipped();

  @Test
  void verifiesThatTheVoiceSampleWalksTheExpectedStates() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<String> states = new ArrayList<>();
    for (PipelineEvent event : Samples.voice()) {
      assertInstanceOf(Applied.class, lifecycle.apply(event), event.eventType());
      states.add(lifecycle.state());
    }
    assertEquals(List.of("started", "ivr", "ivr", "queued", "ringing", "connected", "connected", "wrapping",
        "wrapping", "closed"), states);
    assertEquals(7, lifecycle.stage());
    assertTrue(lifecycle.isFinished());
  }

  @Test
  void verifiesThatTheAttributesEventIsOutOfBandAndChangesNothing() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 6).forEach(lifecycle::apply);
    assertEquals(new Applied("connected", "connected", false, true), lifecycle.apply(voice.get(6)));
    assertEquals(5, lifecycle.stage());
  }

  @Test
  void verifiesThatTheMultichannelSampleClosesAfterTheMessageCustomerEnds() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<String> states = new ArrayList<>();
    for (PipelineEvent event : Samples.multichannel()) {
      assertInstanceOf(Applied.class, lifecycle.apply(event), event.eventType());
      states.add(lifecycle.state());
    }
    assertEquals(List.of("started", "queued", "ringing", "connected", "wrapping", "queued", "ringing", "connected",
        "wrapping", "wrapping", "closed"), states);
    assertEquals(10, lifecycle.stage());
  }

  @Test
  void verifiesThatEveryInOrderSampleEventIsTheExpectedNextStep() {
    for (List<PipelineEvent> sample : List.of(Samples.voice(), Samples.multichannel())) {
      ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
      for (PipelineEvent event : sample) {
        assertTrue(lifecycle.isExpectedNext(event), event.eventType() + " in " + lifecycle.state());
        lifecycle.onReleased(event);
      }
      assertTrue(lifecycle.isFinished());
    }
  }

  @Test
  void verifiesThatAcdEndWithoutAcdStartIsAnInvalidTransition() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 3).forEach(lifecycle::apply);
    assertFalse(lifecycle.isExpectedNext(voice.get(4)));
    assertEquals(new Rejected(Reason.INVALID_TRANSITION,
            "acd.end for session 49ca8286-e126-406e-b164-a88dfd0c1063 without a prior acd.start"),
        lifecycle.apply(voice.get(4)));
    assertEquals("ivr", lifecycle.state());
    assertTrue(lifecycle.isExpectedNext(voice.get(3)));
    lifecycle.onReleased(voice.get(3));
    assertTrue(lifecycle.isExpectedNext(voice.get(4)));
  }

  @Test
  void verifiesThatUserStartWhileStillQueuedIsValidButHeld() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 4).forEach(lifecycle::apply);
    PipelineEvent userStart = voice.get(5);
    assertFalse(lifecycle.isExpectedNext(userStart), "acd.end ANSWERED is the expected step");
    assertEquals(new Applied("queued", "connected", true, false), lifecycle.check(userStart));
    lifecycle.onReleased(userStart);
    assertEquals("connected", lifecycle.state());
    // The overtaken acd.end, released late, fills in its session without moving the conversation back.
    assertEquals(new Applied("connected", "connected", false, false), lifecycle.apply(voice.get(4).asLate()));
  }

  @Test
  void verifiesThatEventsAfterClosedAreRejectedUnlessOutOfBandOrLate() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    Samples.voice().forEach(lifecycle::apply);
    Script more = new Script(Samples.VOICE_ID);
    PipelineEvent acdStart = more.acdStart("ebcf5b0a-adb4-425b-be58-1e1d0ee59938");
    assertEquals(new Rejected(Reason.INVALID_TRANSITION, "acd.start not allowed in state closed"),
        lifecycle.apply(acdStart));
    assertFalse(lifecycle.isExpectedNext(acdStart));
    assertEquals(new Applied("closed", "closed", false, true), lifecycle.apply(Samples.sample("eb-voice-07-attributes.json")));
    assertEquals(new Applied("closed", "closed", false, true), lifecycle.apply(Samples.sample("edge-unknown-topic.json")));
    assertEquals(new Applied("closed", "closed", false, true), lifecycle.apply(acdStart.asLate()));
    assertEquals("closed", lifecycle.state());
    assertEquals(7, lifecycle.stage());
  }

  @Test
  void verifiesThatALateEventMustStillMeetItsSessionPrerequisite() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    Samples.voice().forEach(lifecycle::apply);
    Script more = new Script(Samples.VOICE_ID);
    more.acdStart("q");
    Transition result = lifecycle.apply(more.acdEnd("ANSWERED").asLate());
    assertInstanceOf(Rejected.class, result);
    assertEquals(Reason.INVALID_TRANSITION, ((Rejected) result).reason());
  }

  @Test
  void verifiesThatTheStageCapRejectsTheStateChangeBeyondIt() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition.withMaxStages(3));
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 4).forEach(event -> assertInstanceOf(Applied.class, lifecycle.apply(event)));
    assertEquals(3, lifecycle.stage());
    assertEquals(new Rejected(Reason.STAGE_CAP_EXCEEDED,
            "acd.end would take the conversation from queued to ringing, stage 4 over the cap of 3"),
        lifecycle.apply(voice.get(4)));
    assertEquals("queued", lifecycle.state());
    assertInstanceOf(Applied.class, lifecycle.apply(voice.get(6)), "out-of-band still accepted");
  }

  @Test
  void verifiesThatAnAbandonThenCustomerEndEndsAbandoned() {
    Script s = new Script("abandon-1");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    for (PipelineEvent event : List.of(s.customerStart(), s.flowStart(), s.flowEnd(), s.acdStart("q1"))) {
      assertInstanceOf(Applied.class, lifecycle.apply(event));
    }
    assertEquals("queued", lifecycle.state());
    assertEquals(new Applied("queued", "queued", false, false), lifecycle.apply(s.acdEnd("ABANDON")));
    assertEquals(new Applied("queued", "abandoned", true, false), lifecycle.apply(s.customerEnd()));
    assertTrue(lifecycle.isFinished());
  }

  @Test
  void verifiesThatACustomerEndThenAbandonEndsAbandonedToo() {
    Script s = new Script("abandon-2");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List.of(s.customerStart(), s.acdStart("q1")).forEach(lifecycle::apply);
    assertEquals(new Applied("queued", "queued", false, false), lifecycle.apply(s.customerEnd()));
    assertTrue(lifecycle.customerEnded());
    assertEquals(new Applied("queued", "abandoned", true, false), lifecycle.apply(s.acdEnd("ABANDON")));
  }

  @Test
  void verifiesThatABlindTransferGoesThroughTransferredBackToQueued() {
    Script s = new Script("transfer-1");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<String> states = new ArrayList<>();
    for (PipelineEvent event : List.of(s.customerStart(), s.flowStart(), s.flowEnd(), s.acdStart("q1"),
        s.acdEnd("ANSWERED"), s.userStart("agent-1"), s.userEnd("TRANSFER"), s.acdStart("q2"),
        s.acdEnd("ANSWERED"), s.userStart("agent-2"), s.customerEnd(), s.userEnd("PEER"), s.acw())) {
      assertTrue(lifecycle.isExpectedNext(event), event.eventType() + " in " + lifecycle.state());
      assertInstanceOf(Applied.class, lifecycle.apply(event));
      states.add(lifecycle.state());
    }
    assertEquals(List.of("started", "ivr", "ivr", "queued", "ringing", "connected", "transferred", "queued",
        "ringing", "connected", "wrapping", "wrapping", "closed"), states);
  }

  @Test
  void verifiesThatAConsultTransferMatchesTheTransferGlob() {
    Script s = new Script("transfer-2");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List.of(s.customerStart(), s.acdStart("q1"), s.acdEnd("ANSWERED"), s.userStart("agent-1"))
        .forEach(lifecycle::apply);
    assertEquals(new Applied("connected", "transferred", true, false), lifecycle.apply(s.userEnd("CONSULT_TRANSFER")));
    PipelineEvent firstAgentAcw = s.acw();
    assertEquals(new Applied("transferred", "queued", true, false), lifecycle.apply(s.acdStart("q2")));
    assertEquals(new Applied("queued", "queued", false, false), lifecycle.apply(firstAgentAcw));
    assertEquals("ringing", ((Applied) lifecycle.apply(s.acdEnd("ANSWERED"))).to());
  }

  @Test
  void verifiesThatASecondAgentKeepsTheConversationConnected() {
    Script s = new Script("consult-1");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List.of(s.customerStart(), s.acdStart("q1"), s.acdEnd("ANSWERED"), s.userStart("agent-1")).forEach(lifecycle::apply);
    String firstParticipant = s.agentParticipant;
    String firstSession = s.agentSession;
    lifecycle.apply(s.userStart("agent-2"));
    assertEquals(2, lifecycle.agentsConnected());
    PipelineEvent firstLeaves = Samples.event(s.conversationId, "user.end", s.time + 10, firstParticipant, firstSession,
        new JsonObject().put("disconnectType", "CONSULT_TRANSFER"));
    assertEquals(new Applied("connected", "connected", false, false), lifecycle.apply(firstLeaves));
    assertEquals(1, lifecycle.agentsConnected());
  }

  @Test
  void verifiesThatAnIvrOnlyConversationClosesWhenItsLastSessionEnds() {
    Script s = new Script("ivr-1");
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List.of(s.customerStart(), s.flowStart()).forEach(lifecycle::apply);
    // The caller hangs up first; the flow.end that follows within ms must still be accepted.
    assertEquals(new Applied("ivr", "ivr", false, false), lifecycle.apply(s.customerEnd()));
    assertEquals(new Applied("ivr", "closed", true, false), lifecycle.apply(s.flowEnd()));
  }

  @Test
  void verifiesThatARejectedEventLeavesTheTrackerUntouched() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<PipelineEvent> voice = Samples.voice();
    voice.subList(0, 6).forEach(lifecycle::apply);
    PipelineEvent acw = voice.get(9);
    assertEquals(new Rejected(Reason.INVALID_TRANSITION,
            "acw for session 1797d7db-7de2-406e-b70d-0dc203a1df9d without a prior user.end"), lifecycle.apply(acw));
    assertEquals(4, lifecycle.sessionCount());
    assertEquals(1, lifecycle.agentsConnected());
    assertEquals("connected", lifecycle.state());
  }

  @Test
  void verifiesThatAConversationFirstSeenAtItsAcdEndIsAdoptedAndRunsToItsEnd() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    List<PipelineEvent> tail = Samples.voice().subList(4, 10);
    assertFalse(lifecycle.isExpectedNext(tail.get(0)), "its acd.start may still be in flight: reorder waits for it");
    assertEquals(new Applied("new", "ringing", true, false), lifecycle.apply(tail.get(0)));
    assertTrue(lifecycle.joinedMidway());
    assertEquals(1, lifecycle.stage());
    List<String> states = new ArrayList<>();
    for (PipelineEvent event : tail.subList(1, tail.size())) {
      // customer.end: its customer session began before our view, so it is adopted, not rejected.
      assertInstanceOf(Applied.class, lifecycle.apply(event), event.eventType());
      states.add(lifecycle.state());
    }
    assertEquals(List.of("connected", "connected", "wrapping", "wrapping", "closed"), states);
    assertTrue(lifecycle.isFinished());
    assertTrue(lifecycle.joinedMidway());
  }

  @Test
  void verifiesThatEachKindOfFirstEventIsAdoptedInTheStateTheDefinitionImplies() {
    Script abandon = new Script("midway-abandon");
    abandon.acdStart("q1");
    Script flow = new Script("midway-flow");
    flow.flowStart();
    Script transfer = new Script("midway-transfer");
    transfer.userStart("agent-1");
    Map<PipelineEvent, String> firstEvents = new LinkedHashMap<>();
    firstEvents.put(Samples.sample("eb-voice-05-acd-end.json"), "ringing");       // acd.end ANSWERED
    firstEvents.put(abandon.acdEnd("ABANDON"), "queued");                           // acd.end that answered nothing
    firstEvents.put(Samples.sample("eb-voice-06-user-start.json"), "connected");
    firstEvents.put(Samples.sample("eb-voice-09-user-end.json"), "wrapping");       // PEER: the agent left
    firstEvents.put(transfer.userEnd("TRANSFER"), "transferred");
    firstEvents.put(Samples.sample("eb-voice-10-acw.json"), "wrapping");
    firstEvents.put(Samples.sample("eb-voice-08-customer-end.json"), "wrapping");   // never closed by a first event
    firstEvents.put(flow.flowEnd(), "ivr");
    firstEvents.put(Samples.sample("eb-voice-04-acd-start.json"), "queued");
    firstEvents.put(Samples.sample("eb-voice-02-flow-start.json"), "ivr");
    Script voicemail = new Script("midway-voicemail");
    firstEvents.put(voicemail.event("voicemail.start", "p-vm", "s-vm", null), "started");
    firstEvents.put(voicemail.event("voicemail.end", "p-vm", "s-vm", null), "started");
    firstEvents.forEach((event, expected) -> {
      ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
      String what = event.eventType() + " " + event.eventBody();
      assertFalse(lifecycle.isExpectedNext(event), what);
      assertEquals(new Applied("new", expected, true, false), lifecycle.apply(event), what);
      assertTrue(lifecycle.joinedMidway(), what);
      assertFalse(lifecycle.isFinished(), what);
    });
  }

  @Test
  void verifiesThatAUsualStartIsNotMidwayAndAdoptsNothingLater() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    PipelineEvent customerStart = Samples.sample("eb-voice-01-customer-start.json");
    assertTrue(lifecycle.isExpectedNext(customerStart));
    lifecycle.apply(customerStart);
    assertFalse(lifecycle.joinedMidway());
    // A contradiction inside a conversation whose start was seen is still an invalid transition.
    assertEquals(new Rejected(Reason.INVALID_TRANSITION,
            "user.end for session 1797d7db-7de2-406e-b70d-0dc203a1df9d without a prior user.start"),
        lifecycle.apply(Samples.sample("eb-voice-09-user-end.json")));
    assertEquals("started", lifecycle.state());
  }

  @Test
  void verifiesThatAnOutOfBandFirstEventDoesNotDecideHowTheConversationWasJoined() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    lifecycle.apply(Samples.sample("eb-voice-07-attributes.json"));
    assertEquals("new", lifecycle.state());
    assertFalse(lifecycle.joinedMidway());
    assertEquals(new Applied("new", "started", true, false),
        lifecycle.apply(Samples.sample("eb-voice-01-customer-start.json")));
    assertFalse(lifecycle.joinedMidway());
  }

  @Test
  void verifiesThatContradictionsAmongTheEventsSeenOfAMidwayConversationAreRejected() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    PipelineEvent acdEnd = Samples.sample("eb-voice-05-acd-end.json");
    lifecycle.apply(acdEnd);
    // The same session ending twice (another event: the dedup stage would have dropped a copy).
    PipelineEvent secondEnd = Samples.event(Samples.VOICE_ID, "acd.end", acdEnd.eventTime() + 5, null,
        acdEnd.sessionId(), new JsonObject().put("acdOutcome", "ABANDON"));
    assertEquals(new Rejected(Reason.INVALID_TRANSITION,
            "acd.end for session 49ca8286-e126-406e-b164-a88dfd0c1063 seen twice: a session ends once"),
        lifecycle.apply(secondEnd));
    assertFalse(lifecycle.isExpectedNext(secondEnd));
    // A prerequisite missing in a session whose start we did see.
    PipelineEvent userStart = Samples.sample("eb-voice-06-user-start.json");
    lifecycle.apply(userStart);
    assertEquals(new Rejected(Reason.INVALID_TRANSITION,
            "acw for session 1797d7db-7de2-406e-b70d-0dc203a1df9d without a prior user.end"),
        lifecycle.apply(Samples.sample("eb-voice-10-acw.json")));
    // A step after a terminal state.
    List.of(Samples.sample("eb-voice-08-customer-end.json"), Samples.sample("eb-voice-09-user-end.json"),
        Samples.sample("eb-voice-10-acw.json")).forEach(lifecycle::apply);
    assertEquals("closed", lifecycle.state());
    Script more = new Script(Samples.VOICE_ID);
    assertEquals(new Rejected(Reason.INVALID_TRANSITION, "acd.start not allowed in state closed"),
        lifecycle.apply(more.acdStart("q2")));
    assertEquals("closed", lifecycle.state());
  }

  @Test
  void verifiesThatTheLateStartOfAnAdoptedSessionIsAcceptedWithoutRewinding() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    lifecycle.apply(Samples.sample("eb-voice-05-acd-end.json"));
    assertEquals(new Applied("ringing", "ringing", false, false),
        lifecycle.apply(Samples.sample("eb-voice-04-acd-start.json").asLate()));
    assertEquals(new Applied("ringing", "ringing", false, false),
        lifecycle.apply(Samples.sample("eb-voice-01-customer-start.json").asLate()));
    assertTrue(lifecycle.joinedMidway(), "how the conversation was joined does not change");
  }

  @Test
  void verifiesThatAnAdoptedSessionIsNotTheExpectedNextStepButAKnownOneIs() {
    ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
    lifecycle.apply(Samples.sample("eb-voice-06-user-start.json"));
    assertEquals("connected", lifecycle.state());
    PipelineEvent customerEnd = Samples.sample("eb-voice-08-customer-end.json");
    assertFalse(lifecycle.isExpectedNext(customerEnd), "adopting a session: its start may be in flight");
    assertEquals(new Applied("connected", "wrapping", true, false), lifecycle.check(customerEnd));
    lifecycle.onReleased(customerEnd);
    assertTrue(lifecycle.isExpectedNext(Samples.sample("eb-voice-09-user-end.json")), "its session was seen");
  }
}
