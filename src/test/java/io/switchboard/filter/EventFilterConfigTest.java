package io.switchboard.filter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static io.switchboard.filter.FilterEvents.acdStart;
import static io.switchboard.filter.FilterEvents.filter;
import static io.switchboard.filter.FilterEvents.input;
import static io.switchboard.filter.FilterEvents.queuedSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shapes of a target's {@code filter} config, its validation, and what a match reports. */
class EventFilterConfigTest {

  private static final String NAMED = """
      {"_comment": "first match in config order wins",
       "patterns": {
         "vip":    {"conversation": {"attributes": {"tier": [{"equals-ignore-case": "enterprise"}]}}},
         "voice":  {"detail": {"eventBody": {"mediaType": ["VOICE"]}}},
         "queued": {"conversation": {"state": ["queued"]}}
       }}""";

  private static String configError(String filterJson) {
    return assertThrows(InvalidFilterException.class, () -> filter(filterJson)).getMessage();
  }

  @Test
  void verifiesThatNoFilterMatchesEverythingWithoutParsing() {
    EventFilter absent = EventFilter.from(null, "targets[0].filter");
    assertSame(EventFilter.matchAll(), absent);
    assertEquals(List.of("*"), absent.names());
    assertEquals(Optional.of("*"), absent.match(acdStart()));
    assertEquals(Optional.of("*"), absent.match("not even JSON"));
    assertEquals(Optional.of("*"), filter("{\"_comment\": \"deliberately unfiltered\"}").match(new JsonObject()));
  }

  @Test
  void verifiesThatTheDocumentIsBuiltOnlyWhenThereArePatterns() {
    AtomicInteger built = new AtomicInteger();
    Supplier<String> document = () -> {
      built.incrementAndGet();
      return acdStart();
    };
    assertEquals(Optional.of("*"), EventFilter.matchAll().match(document));
    assertEquals(0, built.get(), "no filter: nothing to compose");
    assertEquals(Optional.of("voice"), filter(NAMED).match(document));
    assertEquals(1, built.get());
  }

  @Test
  void verifiesThatAFilterMentionsAFieldAtAnyDepthAndInsideOr() {
    assertTrue(mentions("{\"conversation\": {\"state\": [\"queued\"]}}"));
    assertTrue(mentions("{\"$or\": [{\"source\": [\"x\"]}, {\"conversation\": {\"priority\": [{\"numeric\": [\">=\", 80]}]}}]}"));
    assertTrue(mentions("{\"patterns\": {\"vip\": {\"conversation\": {\"attributes\": {\"tier\": [\"enterprise\"]}}}}}"));
    assertFalse(mentions("{\"detail-type\": [\"conversation\"]}"), "a value of that name is not a field");
    assertFalse(mentions("{\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}}"));
    assertFalse(mentions("{}"));
  }

  private static boolean mentions(String filter) {
    return EventFilter.mentions(new JsonObject(filter), "conversation");
  }

  @Test
  void verifiesThatNamedPatternsReportTheFirstMatchingNameInConfigOrder() {
    EventFilter filter = filter(NAMED);
    assertEquals(List.of("vip", "voice", "queued"), filter.names());
    JsonObject vip = queuedSnapshot().put("attributes", new JsonObject().put("tier", "Enterprise"));
    assertEquals(Optional.of("vip"), filter.match(input("eb-voice-04-acd-start.json", vip, "acd.start")));
    assertEquals(Optional.of("voice"), filter.match(acdStart()));
    assertEquals(Optional.of("queued"), filter.match(input("eb-multi-02-message-acd-start.json", queuedSnapshot(), "acd.start")));
    assertEquals(Optional.empty(), filter.match(input("eb-multi-03-message-acd-end.json",
        new JsonObject().put("state", "connected"), "acd.end")));
  }

  @Test
  void verifiesThatAJsonObjectEventMatchesLikeItsText() {
    EventFilter filter = filter(NAMED);
    assertEquals(Optional.of("voice"), filter.match(new JsonObject(acdStart())));
  }

  @Test
  void verifiesThatAnInvalidPatternNamesItsPath() {
    assertEquals("targets[1].filter.patterns.vip: invalid event pattern: Value of >= must be numeric", configError("""
        {"patterns": {"ok": {"source": ["x"]},
                      "vip": {"detail": {"eventBody": {"routingPriority": [{"numeric": [">=", "80"]}]}}}}}"""));
    assertEquals("targets[1].filter: invalid event pattern: \"source\" must be an object or an array",
        configError("{\"source\": \"aws.partner/genesys.com\"}"));
    assertEquals("targets[1].filter: invalid event pattern: Unrecognized match type prefx",
        configError("{\"source\": [{\"prefx\": \"aws.partner\"}]}"));
    assertEquals("targets[1].filter: invalid event pattern: There must have at least 2 Objects in $or relationship.",
        configError("{\"$or\": [{\"source\": [\"x\"]}]}"));
  }

  @Test
  void verifiesThatTheNamedShapeIsValidatedAsConfig() {
    assertEquals("targets[1].filter.source: unknown key (known: patterns)",
        configError("{\"patterns\": {\"a\": {\"source\": [\"x\"]}}, \"source\": [\"x\"]}"));
    assertEquals("targets[1].filter.patterns: must be an object, got an array", configError("{\"patterns\": []}"));
    assertEquals("targets[1].filter.patterns: must name at least one pattern (omit the filter to match everything)",
        configError("{\"patterns\": {\"_comment\": \"none yet\"}}"));
    assertEquals("targets[1].filter.patterns.vip: event pattern is empty (omit the filter to match everything)",
        configError("{\"patterns\": {\"vip\": {}}}"));
    assertEquals("targets[1].filter.patterns.vip: must be an object, got 'x'", configError("{\"patterns\": {\"vip\": \"x\"}}"));
    assertEquals("targets[1].filter.patterns.v i p: pattern name must match [A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
        + " (it is reported in metrics and logs)", configError("{\"patterns\": {\"v i p\": {\"source\": [\"x\"]}}}"));
  }

  @Test
  void verifiesThatWildcardPatternsTooComplexForAnEventLoopAreRefused() {
    StringBuilder patterns = new StringBuilder("{\"patterns\": {");
    for (int i = 1; i <= 6; i++) {
      patterns.append(i == 1 ? "" : ",").append("\"p").append(i).append("\": {\"detail-type\": [{\"wildcard\": \"")
          .append("a*".repeat(i)).append("\"}]}");
    }
    String message = configError(patterns.append("}}").toString());
    assertEquals("targets[1].filter.patterns.p6: wildcard patterns too complex",
        message.substring(0, message.indexOf(" to match")));
  }

  @Test
  void verifiesThatAMalformedEventIsAnErrorNotASilentMiss() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> filter("{\"source\": [\"x\"]}").match("{\"source\": \"x\""));
    assertEquals("event is not valid JSON: ", e.getMessage().substring(0, "event is not valid JSON: ".length()));
  }
}
