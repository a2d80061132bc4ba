package io.switchboard.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies which lifecycle events a queue snapshot shows, and that a later snapshot repeats them byte for byte. */
class ConversationSnapshotEventsTest {

  private static final String CONVERSATION = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";

  private static JsonObject sample() {
    try {
      return new JsonObject(Files.readString(Path.of(
          "src/test/resources/samples/ws-msg-queue-conversation-voice-agent-connected.json")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void anAgentConnectedSnapshotShowsEverythingUpToUserStartInOrder() {
    JsonObject message = sample();
    assertTrue(ConversationSnapshotEvents.isSnapshotTopic(message.getString("topicName")));
    List<JsonObject> events = ConversationSnapshotEvents.eventsOf(message.getJsonObject("eventBody"));
    assertEquals(List.of("customer.start", "flow.start", "flow.end", "acd.start", "acd.end", "user.start"),
        events.stream().map(e -> e.getString("topicName").substring(("v2.detail.events.conversation." + CONVERSATION
            + ".").length())).toList());
    JsonObject acdStart = events.get(3).getJsonObject("eventBody");
    assertEquals(1741701749022L, acdStart.getLong("eventTime"), "the acd participant's connectedTime");
    assertEquals("ebcf5b0a-adb4-425b-be58-1e1d0ee59938", acdStart.getString("queueId"));
    assertEquals("VOICE", acdStart.getString("mediaType"));
    assertEquals("INBOUND", acdStart.getString("direction"));
    assertEquals("49ca8286-e126-406e-b164-a88dfd0c1063", acdStart.getString("sessionId"));
    JsonObject userStart = events.get(5).getJsonObject("eventBody");
    assertEquals("2a82977a-fb91-4f81-b300-33f719a7ae7a", userStart.getString("userId"));
    assertEquals("TRANSFER", events.get(4).getJsonObject("eventBody").getString("disconnectType"));
  }

  @Test
  void theNextSnapshotRepeatsTheSameEventsAndAddsTheEnds() {
    JsonObject first = sample().getJsonObject("eventBody");
    JsonObject later = first.copy();
    JsonArray participants = later.getJsonArray("participants");
    JsonObject agent = participants.getJsonObject(3);
    JsonObject call = agent.getJsonArray("calls").getJsonObject(0);
    call.put("state", "disconnected").put("disconnectedTime", "2025-03-11T14:07:40.000Z")
        .put("disconnectType", "endpoint");
    agent.put("endTime", "2025-03-11T14:07:40.000Z").put("startAcwTime", "2025-03-11T14:07:40.000Z")
        .put("endAcwTime", "2025-03-11T14:08:10.500Z")
        .put("wrapup", new JsonObject().put("code", "c0ffee00-0000-4000-8000-000000000001"));
    List<JsonObject> before = ConversationSnapshotEvents.eventsOf(first);
    List<JsonObject> after = ConversationSnapshotEvents.eventsOf(later);
    assertEquals(before, after.subList(0, before.size()), "what the first showed comes again, identical");
    assertEquals(List.of("user.end", "acw"), after.subList(before.size(), after.size()).stream()
        .map(e -> e.getString("topicName").substring(e.getString("topicName").lastIndexOf(CONVERSATION)
            + CONVERSATION.length() + 1)).toList());
    JsonObject acw = after.get(after.size() - 1).getJsonObject("eventBody");
    assertEquals("c0ffee00-0000-4000-8000-000000000001", acw.getString("wrapupCode"));
    assertEquals(30_500, acw.getLong("wrapupDurationMs"));
  }

  @Test
  void aParticipantStillAlertingAndOtherTopicsYieldNothing() {
    JsonObject snapshot = new JsonObject().put("id", CONVERSATION).put("participants", new JsonArray()
        .add(new JsonObject().put("id", "p1").put("purpose", "agent").put("calls", new JsonArray()
            .add(new JsonObject().put("id", "c1").put("state", "alerting")))));
    assertEquals(List.of(), ConversationSnapshotEvents.eventsOf(snapshot));
    assertFalse(ConversationSnapshotEvents.isSnapshotTopic("v2.detail.events.conversation." + CONVERSATION
        + ".acd.start"));
    assertTrue(ConversationSnapshotEvents.isSnapshotTopic("v2.users.2a82977a-fb91-4f81-b300-33f719a7ae7a.conversations"));
  }
}
