package io.switchboard.dispatch;

import io.switchboard.config.ConfigNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.switchboard.dispatch.StatusClass.DEADLETTER;
import static io.switchboard.dispatch.StatusClass.RETRY;
import static io.switchboard.dispatch.StatusClass.SUCCESS;
import static org.junit.jupiter.api.Assertions.assertEquals;

class StatusClassifierTest {

  private static StatusClassifier configured(String json) {
    return StatusClassifier.from(new ConfigNode(new JsonObject(json), "targets[0].retry.statusClasses"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "200, SUCCESS", "204, SUCCESS",
      "400, DEADLETTER", "401, DEADLETTER", "404, DEADLETTER", "409, DEADLETTER",
      "408, RETRY", "429, RETRY", "500, RETRY", "503, RETRY",
      "301, DEADLETTER", "101, DEADLETTER"})
  void verifiesThatTheDefaultsClassifyCommonStatuses(int status, StatusClass expected) {
    assertEquals(expected, StatusClassifier.defaults().classify(status));
  }

  @Test
  void verifiesThatConfiguredPatternsOverrideTheDefaultsKeyByKey() {
    StatusClassifier classes = configured("{\"409\":\"success\",\"4xx\":\"retry\"}");
    assertEquals(SUCCESS, classes.classify(409));
    assertEquals(RETRY, classes.classify(400));
    assertEquals(RETRY, classes.classify(404));
    assertEquals(RETRY, classes.classify(408));
    assertEquals(SUCCESS, classes.classify(200));
    assertEquals(RETRY, classes.classify(503));
    assertEquals(DEADLETTER, classes.classify(301));
  }

  @Test
  void verifiesThatAnExactCodeBeatsItsClassWhateverTheOrderInTheConfig() {
    for (String json : new String[] {"{\"4xx\":\"retry\",\"404\":\"deadletter\"}",
        "{\"404\":\"deadletter\",\"4xx\":\"retry\"}"}) {
      StatusClassifier classes = configured(json);
      assertEquals(DEADLETTER, classes.classify(404), json);
      assertEquals("404", classes.patternFor(404), json);
      assertEquals(RETRY, classes.classify(403), json);
      assertEquals("4xx", classes.patternFor(403), json);
    }
  }

  @Test
  void verifiesThatDefaultExactCodesSurviveAnOverriddenClass() {
    StatusClassifier classes = configured("{\"4xx\":\"success\"}");
    assertEquals(RETRY, classes.classify(429));
    assertEquals(SUCCESS, classes.classify(404));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 99, 600, 999, -1})
  void verifiesThatCodesOutsideHttpAreDeadLettered(int status) {
    assertEquals(DEADLETTER, StatusClassifier.defaults().classify(status));
    assertEquals(null, StatusClassifier.defaults().patternFor(status));
  }

  @Test
  void verifiesThatToJsonListsEveryPatternInForce() {
    assertEquals(new JsonObject("{\"1xx\":\"deadletter\",\"2xx\":\"success\",\"3xx\":\"deadletter\",\"408\":\"retry\","
            + "\"409\":\"success\",\"429\":\"retry\",\"4xx\":\"deadletter\",\"5xx\":\"retry\"}"),
        configured("{\"409\":\"success\",\"_note\":\"comments are skipped\"}").toJson());
  }
}
