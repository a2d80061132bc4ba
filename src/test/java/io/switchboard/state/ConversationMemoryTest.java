package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ConversationMemoryTest {

  private static final long BUDGET = 2048;
  private final LifecycleDefinition definition = Samples.shipped();

  @Test
  void verifiesThatTheVoiceConversationFitsTheBudget() {
    Conversation conversation = replay(Samples.VOICE_ID, Samples.voice());
    long size = LayoutSize.of(conversation);
    assertTrue(size <= BUDGET, "voice conversation takes " + size + " bytes");
    long tracker = LayoutSize.of(new ConversationLifecycleHolder(Samples.voice(), definition).lifecycle);
    assertTrue(tracker <= 256, "voice lifecycle tracker takes " + tracker + " bytes");
  }

  @Test
  void verifiesThatTheMultichannelConversationFitsTheBudget() {
    long size = LayoutSize.of(replay(Samples.MULTI_ID, Samples.multichannel()));
    assertTrue(size <= BUDGET, "multichannel conversation takes " + size + " bytes");
  }

  @Test
  void verifiesThatAFullRingStillFitsTheBudget() {
    Conversation conversation = replay(Samples.MULTI_ID, Samples.multichannel());
    PipelineEvent attributes = Samples.sample("eb-voice-07-attributes.json");
    for (int i = 0; i < 25; i++) {
      PipelineEvent event = Samples.event(Samples.MULTI_ID, "attributes", 1741779512300L + i,
          attributes.participantId(), null, attributes.eventBody());
      conversation.apply(event, 2_000 + i);
    }
    long size = LayoutSize.of(conversation);
    assertTrue(size <= BUDGET, "multichannel conversation with 4 attributes and a full ring takes " + size + " bytes");
  }

  private Conversation replay(String id, List<PipelineEvent> events) {
    Conversation conversation = new Conversation(id, definition, StateSettings.DEFAULTS);
    events.forEach(event -> conversation.apply(event, 1_000));
    return conversation;
  }

  /** The reorder stage's view: the tracker alone. */
  private static final class ConversationLifecycleHolder {
    final ConversationLifecycle lifecycle;

    ConversationLifecycleHolder(List<PipelineEvent> events, LifecycleDefinition definition) {
      lifecycle = new ConversationLifecycle(definition);
      events.forEach(lifecycle::apply);
    }
  }
}
