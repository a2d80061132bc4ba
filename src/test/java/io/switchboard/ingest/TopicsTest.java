package io.switchboard.ingest;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Topics")
class TopicsTest {

  private static final String ID = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";

  @Test
  @DisplayName("verifies that every known suffix parses from a concrete topic and round-trips its detail-type")
  void verifiesThatKnownTypesParse() {
    assertEquals(List.of("customer.start", "customer.end", "acd.start", "acd.end", "user.start", "user.end", "acw",
        "wrapup", "attributes", "contact", "outbound", "flow.start", "flow.end", "flow.outcome", "voicemail.start",
        "voicemail.end"), List.copyOf(Topics.KNOWN_EVENT_TYPES));
    for (String type : Topics.KNOWN_EVENT_TYPES) {
      Topics.ConversationTopic topic = Topics.parse(Topics.CONVERSATION_PREFIX + ID + "." + type);

      assertEquals(ID, topic.conversationId());
      assertEquals(type, topic.eventType());
      assertTrue(topic.isKnownType());
      assertEquals("v2.detail.events.conversation.{id}." + type, Topics.detailType(type));
      assertTrue(Topics.KNOWN_DETAIL_TYPES.contains(Topics.detailType(type)));
      assertEquals(type, Topics.eventTypeOfDetailType(Topics.detailType(type)));
    }
    assertEquals(Topics.KNOWN_EVENT_TYPES.size(), Topics.KNOWN_DETAIL_TYPES.size());
  }

  @Test
  @DisplayName("verifies that an unknown suffix is kept verbatim")
  void verifiesThatUnknownSuffixIsKept() {
    Topics.ConversationTopic topic = Topics.parse(Topics.CONVERSATION_PREFIX + ID + ".sentiment.changed");

    assertEquals(ID, topic.conversationId());
    assertEquals("sentiment.changed", topic.eventType());
    assertFalse(topic.isKnownType());
    assertEquals("sentiment.changed",
        Topics.eventTypeOfDetailType("v2.detail.events.conversation.{id}.sentiment.changed"));
  }

  @Test
  @DisplayName("verifies that a template or non-UUID id segment yields the type but no conversation id")
  void verifiesThatNonUuidIdIsNotTrusted() {
    Topics.ConversationTopic template = Topics.parse("v2.detail.events.conversation.{id}.acd.end");

    assertNull(template.conversationId());
    assertEquals("acd.end", template.eventType());
    assertNull(Topics.parse("v2.detail.events.conversation.not-a-uuid.acw").conversationId());
  }

  @ParameterizedTest(name = "verifies that {0} is not a parseable conversation topic")
  @ValueSource(strings = {"v2.detail.events.conversation.", "v2.detail.events.conversation." + ID,
      "v2.detail.events.conversation." + ID + ".", "v2.detail.events.conversation..acd.end",
      "v2.detail.events.agent." + ID + ".state", "channel.metadata", ""})
  void verifiesThatMalformedTopicsDoNotParse(String topicName) {
    assertNull(Topics.parse(topicName));
  }

  @ParameterizedTest(name = "verifies that detail-type {0} is not a conversation template")
  @ValueSource(strings = {"v2.detail.events.conversation.{id}.", "v2.detail.events.conversation.{id}",
      "v2.detail.events.conversation." + ID + ".acd.end", "v2.detail.events.conversation.{id}xacd.end",
      "v2.audits.entitytype.{id}.entityid.{id}", "Conversation End"})
  void verifiesThatOtherDetailTypesHaveNoEventType(String detailType) {
    assertNull(Topics.eventTypeOfDetailType(detailType));
  }

  @ParameterizedTest(name = "verifies that {0} is classified as {1}")
  @CsvSource({
      "v2.detail.events.conversation." + ID + ".acd.end, CONVERSATION_DETAIL",
      "channel.metadata, HEARTBEAT",
      "v2.system.socket_closing, SYSTEM",
      "v2.system.no_longer_subscribed.abc, SYSTEM",
      "v2.routing.queues.ebcf5b0a-adb4-425b-be58-1e1d0ee59938.conversations, CONVERSATION_SNAPSHOT",
      "v2.routing.queues.ebcf5b0a-adb4-425b-be58-1e1d0ee59938.conversations.calls, CONVERSATION_SNAPSHOT",
      "v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.conversations, CONVERSATION_SNAPSHOT",
      "v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.conversations.messages, CONVERSATION_SNAPSHOT",
      "v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.conversationsummaries, OTHER",
      "v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.presence, OTHER",
      "v2.routing.queues..conversations, OTHER",
      "v2.detail.events.agent.2a82977a-fb91-4f81-b300-33f719a7ae7a.state, OTHER",
      "v2.conversations." + ID + ".transcription, OTHER",
  })
  void verifiesThatTopicsAreClassified(String topicName, Topics.Kind kind) {
    assertEquals(kind, Topics.classify(topicName));
  }

  @Test
  @DisplayName("verifies that only the 8-4-4-4-12 hex shape counts as a UUID")
  void verifiesThatUuidShapeIsChecked() {
    assertTrue(Topics.isUuid(ID));
    assertTrue(Topics.isUuid(ID.toUpperCase(java.util.Locale.ROOT)));
    assertFalse(Topics.isUuid("{id}"));
    assertFalse(Topics.isUuid(ID.replace('-', 'x')));
    assertFalse(Topics.isUuid(ID.substring(1)));
    assertFalse(Topics.isUuid(ID.replace('b', 'g')));
  }
}
