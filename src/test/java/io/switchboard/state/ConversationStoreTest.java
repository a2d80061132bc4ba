package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
  void verifiesThatAConversationWhoseFirstEventIsRejectedIsNotKept() {
    ConversationStore store = new ConversationStore(definition, StateSettings.DEFAULTS);
    assertFalse(store.apply(Samples.sample("eb-voice-05-acd-end.json"), 1).applied());
    assertNull(store.get(Samples.VOICE_ID));
    assertEquals(0, store.size());
    assertEquals(0, store.countByState().get("new"));
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
