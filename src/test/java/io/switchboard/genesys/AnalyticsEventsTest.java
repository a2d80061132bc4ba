package io.switchboard.genesys;

import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.switchboard.state.ConversationLifecycle;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.Transition;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyticsEventsTest {

  private static final Path SAMPLES = Path.of("src/test/resources/samples");

  private static JsonObject sampleConversation() throws IOException {
    return new JsonObject(Files.readString(SAMPLES.resolve("api-analytics-details-job-results-page.json")))
        .getJsonArray("conversations").getJsonObject(0);
  }

  private static List<String> types(List<AnalyticsEvents.Mapped> events) {
    return events.stream().map(AnalyticsEvents.Mapped::type).toList();
  }

  private static JsonObject body(List<AnalyticsEvents.Mapped> events, String type) {
    return events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow().message()
        .getJsonObject("eventBody");
  }

  @Test
  void verifiesThatTheVoiceSampleMapsToTheDetailEventsGenesysWouldHaveSent() throws IOException {
    List<AnalyticsEvents.Mapped> events = AnalyticsEvents.released(sampleConversation(), Long.MAX_VALUE);
    assertEquals(List.of("customer.start", "acd.start", "acd.end", "user.start", "customer.end", "user.end", "acw"),
        types(events));
    // The eventTimes of the EventBridge samples composed for the same call.
    assertEquals(List.of(1741701727412L, 1741701749022L, 1741701795506L, 1741701795514L, 1741702139442L,
        1741702139458L, 1741702182514L), events.stream().map(AnalyticsEvents.Mapped::eventTime).toList());
    JsonObject acdEnd = body(events, "acd.end");
    assertEquals("ANSWERED", acdEnd.getString("acdOutcome"));
    assertEquals("2a82977a-fb91-4f81-b300-33f719a7ae7a", acdEnd.getString("answeredUserId"));
    assertEquals("TRANSFER", acdEnd.getString("disconnectType"));
    assertEquals(46484L, acdEnd.getLong("connectedDurationMs"));
    assertEquals("STANDARD", acdEnd.getString("usedRouting"));
    assertEquals("ebcf5b0a-adb4-425b-be58-1e1d0ee59938", acdEnd.getString("queueId"));
    assertEquals("ENDPOINT", body(events, "customer.end").getString("disconnectType"));
    JsonObject userEnd = body(events, "user.end");
    assertEquals("PEER", userEnd.getString("disconnectType"));
    assertEquals(4377L, userEnd.getLong("alertingDurationMs"));
    assertEquals("2a82977a-fb91-4f81-b300-33f719a7ae7a", userEnd.getString("userId"));
    JsonObject acw = body(events, "acw");
    assertEquals("38b3e5ca-d594-4b8f-8c91-53f271079c7d", acw.getString("wrapupCode"));
    assertEquals(43056L, acw.getLong("wrapupDurationMs"));
    assertEquals("1797d7db-7de2-406e-b70d-0dc203a1df9d", acw.getString("sessionId"));
    JsonObject start = body(events, "customer.start");
    assertEquals("VOICE", start.getString("mediaType"));
    assertEquals("INBOUND", start.getString("direction"));
    assertEquals("tel:+15551230001", start.getString("ani"));
    assertEquals("26c40b5b-f419-4131-8fa5-9f22d06a63b3", start.getString("externalContactId"));
    JsonObject message = events.get(0).message();
    assertEquals("v2.detail.events.conversation.890737b5-2d33-4c3d-ae24-e66f93a12d8b.customer.start",
        message.getString("topicName"));
    assertEquals("2", message.getString("version"));
  }

  @Test
  void verifiesThatMappedConversationsPassTheNormaliserAndTheLifecycleWithoutViolations() throws IOException {
    EventNormalizer normalizer = new EventNormalizer(SchemaRegistry.load(AnalyticsEventsTest::schema,
        SchemaRegistry.DEFAULT_NAMES), true);
    LifecycleDefinition definition = LifecycleDefinition.fromJson(
        new JsonObject(Files.readString(Path.of("conf/lifecycle.json"))));
    List<JsonObject> conversations = new ArrayList<>(AnalyticsConversations.voice(7, 200, 1_741_701_000_000L,
        3_600_000));
    conversations.add(sampleConversation());
    Set<String> seenTypes = new LinkedHashSet<>();
    for (JsonObject conversation : conversations) {
      ConversationLifecycle lifecycle = new ConversationLifecycle(definition);
      for (AnalyticsEvents.Mapped mapped : AnalyticsEvents.released(conversation, Long.MAX_VALUE)) {
        Buffer bytes = mapped.message().toBuffer();
        NormalizeResult result = normalizer.normalize(new JsonObject(bytes), bytes, "genesys-poll",
            new Ticket("t", 1), 0);
        PipelineEvent event = assertInstanceOf(NormalizeResult.Normalized.class, result, () -> result.toString())
            .event();
        Transition transition = lifecycle.apply(event);
        assertInstanceOf(Transition.Applied.class, transition, () -> mapped.type() + " in " + lifecycle.state()
            + ": " + transition);
        seenTypes.add(mapped.type());
      }
      assertTrue(lifecycle.isTerminal(), () -> "ends " + lifecycle.state());
    }
    assertEquals(Set.of("customer.start", "flow.start", "flow.end", "acd.start", "acd.end", "user.start",
        "customer.end", "user.end", "acw"), seenTypes);
  }

  @Test
  void verifiesThatTheMappingIsDeterministicAndGrowsByPrefixAsTimePasses() throws IOException {
    List<JsonObject> conversations = new ArrayList<>(AnalyticsConversations.voice(11, 30, 1_741_701_000_000L,
        600_000));
    conversations.add(sampleConversation());
    for (JsonObject conversation : conversations) {
      List<AnalyticsEvents.Mapped> all = AnalyticsEvents.released(conversation.copy(), Long.MAX_VALUE);
      assertEquals(all, AnalyticsEvents.released(conversation.copy(), Long.MAX_VALUE));
      long start = AnalyticsEvents.time(conversation.getString("conversationStart"));
      // Polled as of any moment, what is released is exactly a prefix of the whole, byte for byte.
      for (long asOf = start - 1_000; asOf < all.get(all.size() - 1).releaseAt() + 2_000; asOf += 997) {
        List<AnalyticsEvents.Mapped> partial = AnalyticsEvents.released(conversation, asOf);
        assertEquals(all.subList(0, partial.size()), partial);
        for (AnalyticsEvents.Mapped m : partial) {
          assertTrue(m.releaseAt() <= asOf);
        }
      }
    }
  }

  @Test
  void verifiesThatOverlappingWindowsCoverEveryEventAndRepeatOnlyExactCopies() throws IOException {
    JsonObject conversation = sampleConversation();
    List<AnalyticsEvents.Mapped> all = AnalyticsEvents.released(conversation, Long.MAX_VALUE);
    long from = all.get(0).eventTime() - 45_000;
    List<JsonObject> seen = new ArrayList<>();
    for (long start = from; start < all.get(all.size() - 1).releaseAt() + 60_000; start += 30_000) {
      for (AnalyticsEvents.Mapped m : AnalyticsEvents.inWindow(conversation, start, start + 60_000)) {
        seen.add(m.message());
      }
    }
    assertEquals(all.stream().map(AnalyticsEvents.Mapped::message).distinct().toList(),
        seen.stream().distinct().toList());
    assertTrue(seen.size() > all.size(), "the overlap repeats some");
  }

  @Test
  void verifiesThatAnUnfinishedSegmentEmitsNoEnd() throws IOException {
    JsonObject conversation = sampleConversation();
    conversation.remove("conversationEnd");
    JsonObject customer = conversation.getJsonArray("participants").getJsonObject(0);
    customer.getJsonArray("sessions").getJsonObject(0).getJsonArray("segments").getJsonObject(0)
        .remove("segmentEnd");
    List<AnalyticsEvents.Mapped> events = AnalyticsEvents.released(conversation, Long.MAX_VALUE);
    assertFalse(types(events).contains("customer.end"));
    assertTrue(types(events).contains("user.end"));
    // And a segment that ends after the window's end is open as of that window.
    JsonObject sample = sampleConversation();
    long customerEnd = 1741702139442L;
    assertFalse(types(AnalyticsEvents.released(sample, customerEnd - 1)).contains("customer.end"));
    assertTrue(types(AnalyticsEvents.released(sample, customerEnd + AnalyticsEvents.HORIZON_MS))
        .contains("customer.end"));
  }

  @Test
  void verifiesThatAnAbandonedCallEndsItsQueueLegAsAbandon() {
    JsonObject conversation = AnalyticsConversations.voice(new Random(3), 1_741_701_000_000L, true);
    List<AnalyticsEvents.Mapped> events = AnalyticsEvents.released(conversation, Long.MAX_VALUE);
    assertEquals(List.of("customer.start", "flow.start", "flow.end", "acd.start", "acd.end", "customer.end"),
        types(events));
    assertEquals("ABANDON", body(events, "acd.end").getString("acdOutcome"));
  }

  @Test
  void verifiesThatAnalyticsCamelCaseBecomesDetailEventUpperSnake() {
    assertEquals("CONSULT_TRANSFER", AnalyticsEvents.upperSnake("consultTransfer"));
    assertEquals("STANDARD", AnalyticsEvents.upperSnake("Standard"));
    assertEquals("FLOW_DISCONNECT", AnalyticsEvents.upperSnake("FLOW_DISCONNECT"));
    assertEquals("VOICE", AnalyticsEvents.upperSnake("voice"));
  }

  private static String schema(String fileName) {
    try {
      return Files.readString(Path.of("conf", "schemas").resolve(fileName));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
