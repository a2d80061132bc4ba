package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A restored store must be indistinguishable from the one that wrote the snapshot, now and for the next events. */
class ConversationStoreSnapshotTest {

  private final LifecycleDefinition definition = Samples.shipped();

  private static byte[] snapshot(ConversationStore store) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    store.writeTo(new DataOutputStream(bytes));
    return bytes.toByteArray();
  }

  private ConversationStore restore(byte[] snapshot, StateSettings settings) throws IOException {
    ConversationStore store = new ConversationStore(definition, settings);
    store.readFrom(new DataInputStream(new ByteArrayInputStream(snapshot)));
    return store;
  }

  @Test
  void aRestoredStoreAnswersAndContinuesExactlyAsTheOriginal() throws IOException {
    List<PipelineEvent> voice = Samples.voice();
    List<PipelineEvent> multi = Samples.multichannel();
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    // Midway through both: the multichannel conversation is open, the voice one has a leg to go.
    int voiceCut = voice.size() - 2;
    int multiCut = multi.size() / 2;
    voice.subList(0, voiceCut).forEach(e -> original.apply(e, 100));
    multi.subList(0, multiCut).forEach(e -> original.apply(e, 200));

    ConversationStore restored = restore(snapshot(original), StateSettings.DEFAULTS);

    assertEquals(original.countByState(), restored.countByState());
    assertEquals(original.openCount(), restored.openCount());
    for (String id : List.of(Samples.MULTI_ID, voice.get(0).conversationId())) {
      assertEquals(original.get(id).toJson(20), restored.get(id).toJson(20), id);
      assertEquals(original.get(id).snapshot(), restored.get(id).snapshot(), id);
    }
    List<PipelineEvent> rest = new ArrayList<>(voice.subList(voiceCut, voice.size()));
    rest.addAll(multi.subList(multiCut, multi.size()));
    for (PipelineEvent next : rest) {
      ApplyResult expected = original.apply(next, 300);
      ApplyResult actual = restored.apply(next, 300);
      assertEquals(expected.transition(), actual.transition(), next.eventType());
      assertTrue(actual.delivered(), "the next event is a valid transition after the restore: " + next.eventType());
    }
    for (String id : List.of(Samples.MULTI_ID, voice.get(0).conversationId())) {
      JsonObject after = restored.get(id).toJson(20);
      assertEquals(original.get(id).toJson(20), after, id);
    }
    assertEquals(original.terminalCount(), restored.terminalCount());
  }

  @Test
  void anUnsureConversationStaysUnsureAcrossASnapshot() throws IOException {
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    original.recoverAfterCrash();
    Samples.voice().subList(0, 3).forEach(e -> original.apply(e, 1_000));
    ConversationStore plain = new ConversationStore(definition, StateSettings.DEFAULTS);
    Samples.voice().subList(0, 3).forEach(e -> plain.apply(e, 1_000));
    assertTrue(restore(snapshot(original), StateSettings.DEFAULTS).get(Samples.VOICE_ID).unsure());
    assertEquals(false, restore(snapshot(plain), StateSettings.DEFAULTS).get(Samples.VOICE_ID).unsure());
  }

  @Test
  void aRestoredConversationKnowsTheEventsItRecorded() throws IOException {
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    List<PipelineEvent> voice = Samples.voice();
    voice.forEach(e -> original.apply(e, 100));
    ConversationStore restored = restore(snapshot(original), StateSettings.DEFAULTS);
    Conversation conversation = restored.get(voice.get(0).conversationId());
    assertTrue(conversation.hasRecorded(voice.get(voice.size() - 1).eventId()));
    assertEquals(false, conversation.hasRecorded("00000000-0000-0000-0000-000000000000"));
  }

  /** A notification message (WebSocket, polling) has no envelope id: it is known again by its fingerprint. */
  @Test
  void anEventWithoutAnEnvelopeIdIsKnownByItsFingerprint() throws IOException {
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    List<PipelineEvent> voice = Samples.voice().stream().map(ConversationStoreSnapshotTest::withoutId).toList();
    voice.forEach(e -> original.apply(e, 100));
    Conversation conversation = restore(snapshot(original), StateSettings.DEFAULTS).get(voice.get(0).conversationId());
    PipelineEvent last = voice.get(voice.size() - 1);
    assertTrue(conversation.hasRecorded(last));
    PipelineEvent first = withoutId(Samples.voice().get(0));
    assertEquals(false, conversation.hasRecorded(new PipelineEvent(first.ticket(), first.source(), null,
        "0".repeat(32), first.conversationId(), first.eventType(), first.topicName(), first.eventTime(),
        first.ingestedAt(), first.mediaType(), first.participantId(), first.sessionId(), first.queueId(),
        first.userId(), false, first.eventBody(), first.payload())));
    assertEquals(null, conversation.toJson(20).getJsonArray("lastEvents").getJsonObject(0).getValue("eventId"),
        "a fingerprint is not shown as an id");
  }

  private static PipelineEvent withoutId(PipelineEvent e) {
    return new PipelineEvent(e.ticket(), e.source(), null, e.fingerprint(), e.conversationId(), e.eventType(),
        e.topicName(), e.eventTime(), e.ingestedAt(), e.mediaType(), e.participantId(), e.sessionId(), e.queueId(),
        e.userId(), e.late(), e.eventBody(), e.payload());
  }

  @Test
  void terminalConversationsStillLeaveAfterTheirRetentionAndTheBoundHolds() throws IOException {
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    Samples.voice().forEach(e -> original.apply(e, 1_000));
    Samples.multichannel().subList(0, 3).forEach(e -> original.apply(e, 2_000));
    ConversationStore restored = restore(snapshot(original), StateSettings.DEFAULTS);
    assertEquals(1, restored.evict(1_000 + StateSettings.DEFAULTS.closedRetentionMillis()),
        "the ended voice conversation goes after its retention");
    assertEquals(1, restored.size());

    StateSettings one = new StateSettings(300_000, 8 * 3_600_000L, 1, 20, 1024);
    ConversationStore bounded = restore(snapshot(original), one);
    assertEquals(1, bounded.size());
    assertEquals(Samples.MULTI_ID, bounded.get(Samples.MULTI_ID).id(), "the most recently active one stays");
  }

  @Test
  void aSnapshotFromAnotherLifecycleIsRefused() throws IOException {
    ConversationStore original = new ConversationStore(definition, StateSettings.DEFAULTS);
    Samples.voice().forEach(e -> original.apply(e, 100));
    byte[] bytes = snapshot(original);
    bytes[0] ^= 1;
    assertThrows(IOException.class, () -> restore(bytes, StateSettings.DEFAULTS));
  }
}
