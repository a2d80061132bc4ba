package io.switchboard.filter;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static io.switchboard.filter.FilterEvents.input;
import static io.switchboard.filter.FilterEvents.queuedSnapshot;
import static io.switchboard.filter.FilterEvents.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** All targets' filters in one machine answer, per target, exactly what each target's own filter answers. */
class TargetFiltersTest {

  /** Filters of several shapes and operators, some overlapping, as a config with many targets would have. */
  private static final List<String> FILTERS = List.of(
      "{}",
      "{\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}}",
      "{\"patterns\": {\"acd\": {\"detail\": {\"topicName\": [{\"suffix\": \".acd.start\"}, {\"suffix\": \".acd.end\"}]}},"
          + " \"voice\": {\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}},"
          + " \"late\": {\"switchboard\": {\"late\": [true]}}}}",
      "{\"conversation\": {\"state\": [\"queued\"]}, \"detail\": {\"eventBody\": {\"mediaType\": [{\"anything-but\": [\"EMAIL\"]}]}}}",
      "{\"$or\": [{\"detail\": {\"eventBody\": {\"queueId\": [{\"exists\": false}]}}},"
          + " {\"detail-type\": [{\"prefix\": \"v2.detail.events.conversation\"}]}]}",
      "{\"detail\": {\"eventBody\": {\"mediaType\": [\"CALLBACK\", \"EMAIL\"]}}}");

  private static TargetFilters combined(List<String> filters) {
    List<JsonObject> json = filters.stream().map(JsonObject::new).toList();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < filters.size(); i++) {
      paths.add("targets[" + i + "].filter");
    }
    return TargetFilters.of(json, paths);
  }

  private static List<String> documents() {
    List<String> documents = new ArrayList<>();
    File[] samples = new File("src/test/resources/samples").listFiles((dir, name) -> name.startsWith("eb-"));
    Arrays.sort(samples);
    for (File file : samples) {
      for (boolean late : new boolean[] {false, true}) {
        documents.add(input(sample(file.getName()), queuedSnapshot(), "acd.start", late));
        documents.add(FilterInput.compose(sample(file.getName()), null, "customer.start", late));
      }
    }
    return documents;
  }

  @Test
  void verifiesThatEachTargetGetsWhatItsOwnFilterAnswersOnEverySample() {
    TargetFilters filters = combined(FILTERS);
    List<EventFilter> own = FILTERS.stream().map(f -> EventFilter.from(new JsonObject(f), "f")).toList();
    int selected = 0;
    int leftOut = 0;
    for (String document : documents()) {
      String[] matched = filters.match(() -> document);
      String[] expected = own.stream().map(f -> f.match(document).orElse(null)).toArray(String[]::new);
      assertArrayEquals(expected, matched, document);
      for (String m : matched) {
        if (m == null) {
          leftOut++;
        } else {
          selected++;
        }
      }
    }
    assertTrue(selected > 0 && leftOut > 0, "the samples exercise both answers: " + selected + "/" + leftOut);
  }

  @Test
  void verifiesThatTheFirstMatchingPatternInConfigOrderIsReported() {
    TargetFilters filters = combined(List.of("{\"patterns\": {\"any\": {\"source\": [{\"prefix\": \"\"}]},"
        + " \"voice\": {\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}}}}",
        "{\"patterns\": {\"voice\": {\"detail\": {\"eventBody\": {\"mediaType\": [\"VOICE\"]}}},"
            + " \"any\": {\"source\": [{\"prefix\": \"\"}]}}}"));
    String document = FilterEvents.acdStart();
    assertArrayEquals(new String[] {"any", "voice"}, filters.match(() -> document));
  }

  @Test
  void verifiesThatWithoutAnyPatternNoDocumentIsBuilt() {
    TargetFilters filters = combined(List.of("{}", "{\"_comment\": \"everything\"}"));
    assertFalse(filters.filtersAnything());
    AtomicInteger built = new AtomicInteger();
    assertArrayEquals(new String[] {EventFilter.ALL, EventFilter.ALL}, filters.match(() -> {
      built.incrementAndGet();
      return "{}";
    }));
    assertEquals(0, built.get());
  }

  @Test
  void verifiesThatAnInvalidPatternNamesItsTargetAndADocumentThatIsNotJsonIsAnError() {
    InvalidFilterException e = assertThrows(InvalidFilterException.class,
        () -> combined(List.of("{}", "{\"detail\": {\"eventBody\": {\"x\": [{\"numeric\": [\">\", \"a\"]}]}}}")));
    assertTrue(e.path().startsWith("targets[1].filter"), e.path());
    TargetFilters filters = combined(FILTERS);
    assertThrows(IllegalArgumentException.class, () -> filters.match(() -> "{not json"));
  }
}
