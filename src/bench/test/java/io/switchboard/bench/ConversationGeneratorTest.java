package io.switchboard.bench;

import io.switchboard.ingest.EventNormalizer;
import io.switchboard.ingest.NormalizeResult;
import io.switchboard.ingest.SchemaRegistry;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Ticket;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.LifecycleDefinition;
import io.switchboard.state.StateSettings;
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
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator's output against the shipped schemas and lifecycle, and its determinism. Plain logic, no
 * server: run with {@code mvn -o -Pbench test -Dtest=ConversationGeneratorTest} (cwd = project root).
 */
class ConversationGeneratorTest {

  private static final Map<ConversationKind, String> FINAL_STATE = Map.of(ConversationKind.VOICE, "closed",
      ConversationKind.MESSAGING_CALLBACK, "closed", ConversationKind.ABANDON, "abandoned");

  private static List<GeneratedConversation> generate(long seed, int count, double defects) {
    GeneratorOptions defaults = GeneratorOptions.defaults(seed);
    return new ConversationGenerator(new GeneratorOptions(seed, defaults.epochMillis(),
        defaults.meanArrivalGapMillis(), 1, 1, 1, defects, defects, defects)).generate(count);
  }

  @Test
  void verifiesThatTheSameSeedGivesByteIdenticalSends() {
    List<GeneratedConversation> first = generate(42, 30, 0.2);
    List<GeneratedConversation> second = generate(42, 30, 0.2);
    assertEquals(first, second);
    assertTrue(!first.equals(generate(43, 30, 0.2)), "another seed, other conversations");
  }

  @Test
  void verifiesThatEveryStampedEnvelopeIsValidAndRunsTheShippedLifecycleToItsTerminalState() {
    EventNormalizer normalizer = new EventNormalizer(
        SchemaRegistry.load(ConversationGeneratorTest::schemaFile, SchemaRegistry.DEFAULT_NAMES), true);
    ConversationStore store = new ConversationStore(
        LifecycleDefinition.fromJson(new JsonObject(read(Path.of("conf", "lifecycle.json")))), StateSettings.DEFAULTS);
    for (GeneratedConversation conversation : generate(7, 150, 0)) {
      List<PipelineEvent> events = new ArrayList<>();
      for (Send send : conversation.sends()) {
        Buffer bytes = send.stamped(1_000L);
        JsonObject json = bytes.toJsonObject();
        assertEquals(1_000L, json.getLong(Send.SENT_AT_FIELD));
        NormalizeResult result = normalizer.normalize(json, bytes, "http", new Ticket("test", 1), 0);
        events.add(assertInstanceOf(NormalizeResult.Normalized.class, result, result::toString).event());
      }
      events.sort(Comparator.comparingLong(PipelineEvent::eventTime));
      ApplyResult last = null;
      for (PipelineEvent event : events) {
        last = store.apply(event, 0);
        assertInstanceOf(Transition.Applied.class, last.transition(), () -> event.eventType() + " of "
            + conversation.kind() + " " + conversation.id());
      }
      assertEquals(FINAL_STATE.get(conversation.kind()), last.state(), conversation.kind().label());
    }
  }

  @Test
  void verifiesThatCopiesFollowTheirOriginalAndEachEventIsExpectedOnce() {
    for (GeneratedConversation conversation : generate(9, 200, 0.3)) {
      Set<String> seen = new HashSet<>();
      Set<String> envelopeIds = new HashSet<>();
      long previousTime = Long.MIN_VALUE;
      for (Send send : conversation.sends()) {
        assertTrue(send.virtualTime() >= previousTime, "sends are in virtual-time order");
        previousTime = send.virtualTime();
        if (send.copy() == Send.Copy.ORIGINAL) {
          assertTrue(seen.add(send.expectedId()), "one original per event");
          assertTrue(envelopeIds.add(send.envelopeId()));
        } else {
          assertTrue(seen.contains(send.expectedId()), "a copy follows its original");
          assertEquals(send.copy() == Send.Copy.DUPLICATE, send.envelopeId().equals(send.expectedId()));
        }
      }
      assertEquals(seen.size(), conversation.expectedIds().size());
    }
  }

  @Test
  void verifiesThatASwapOnlyExchangesNeighboursSentBackToBack() {
    for (GeneratedConversation conversation : generate(5, 200, 0)) {
      assertInOrder(conversation.sends());
    }
    int swaps = 0;
    for (GeneratedConversation conversation : new ConversationGenerator(new GeneratorOptions(5,
        GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250, 1, 1, 1, 0, 0, 1)).generate(200)) {
      List<Send> sends = conversation.sends();
      for (int i = 0; i + 1 < sends.size(); i++) {
        if (eventTime(sends.get(i)) > eventTime(sends.get(i + 1))) {
          swaps++;
          assertEquals(sends.get(i).virtualTime(), sends.get(i + 1).virtualTime(), "sent together");
          if (i + 2 < sends.size()) {
            assertTrue(eventTime(sends.get(i)) < eventTime(sends.get(i + 2)), "only neighbours swap");
          }
        }
      }
    }
    assertTrue(swaps > 500, "ratio 1 swaps every other pair, got " + swaps);
  }

  private static void assertInOrder(List<Send> sends) {
    for (int i = 0; i + 1 < sends.size(); i++) {
      assertTrue(eventTime(sends.get(i)) <= eventTime(sends.get(i + 1)), "no defects, no disorder");
    }
  }

  private static long eventTime(Send send) {
    return send.body().toJsonObject().getJsonObject("detail").getJsonObject("eventBody").getLong("eventTime");
  }

  private static String schemaFile(String name) {
    try {
      return Files.readString(Path.of("conf", "schemas", name));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path path) {
    try {
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
