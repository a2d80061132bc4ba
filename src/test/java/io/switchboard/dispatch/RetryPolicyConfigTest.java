package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RetryPolicyConfigTest {

  private static RetryPolicy parse(String json) {
    return RetryPolicy.from(new ConfigNode(new JsonObject(json), "targets[0].retry"), new SplittableRandom(1));
  }

  private static String error(String json) {
    return assertThrows(ConfigException.class, () -> parse(json)).getMessage();
  }

  @Test
  void verifiesThatAnEmptyRetryObjectGivesTheDocumentedDefaults() {
    JsonObject expected = new JsonObject()
        .put("maxAttempts", 185)
        .put("maxEventAgeSeconds", 3600L)
        .put("initialBackoffMs", 200L)
        .put("maxBackoffMs", 60_000L)
        .put("multiplier", 2.0)
        .put("retryAfterCapSeconds", 300L)
        .put("statusClasses", StatusClassifier.defaults().toJson());
    assertEquals(expected, parse("{}").toJson());
    assertEquals(expected, RetryPolicy.defaults().toJson());
  }

  @Test
  void verifiesThatEveryKeyIsReadAndToJsonReadsBack() {
    RetryPolicy policy = parse("{\"maxAttempts\":10,\"maxEventAgeSeconds\":86400,\"initialBackoffMs\":50,"
        + "\"maxBackoffMs\":5000,\"multiplier\":1.5,\"retryAfterCapSeconds\":30,\"statusClasses\":{\"409\":\"success\"},"
        + "\"_comment\":\"keys starting with _ are comments\"}");
    assertEquals(10, policy.maxAttempts());
    assertEquals(86_400_000, policy.maxEventAgeMillis());
    assertEquals(30_000, policy.retryAfterCapMillis());
    assertEquals(50, policy.backoff().ceilingMillis(1));
    assertEquals(75, policy.backoff().ceilingMillis(2));
    assertEquals(5000, policy.backoff().ceilingMillis(20));
    assertEquals(StatusClass.SUCCESS, policy.statusClasses().classify(409));
    assertEquals(policy.toJson(), parse(policy.toJson().encode()).toJson());
  }

  @Test
  void verifiesThatALargeInitialBackoffRaisesTheDefaultCapInsteadOfFailing() {
    assertEquals(120_000, parse("{\"initialBackoffMs\":120000}").backoff().ceilingMillis(5));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "{\"maxAttempts\":0}               | targets[0].retry.maxAttempts: must be between 1 and 10000, got 0",
      "{\"maxAttempts\":2.5}             | targets[0].retry.maxAttempts: must be a whole number, got 2.5",
      "{\"maxEventAgeSeconds\":0}        | targets[0].retry.maxEventAgeSeconds: must be between 1 and 604800, got 0",
      "{\"initialBackoffMs\":-1}         | targets[0].retry.initialBackoffMs: must be between 1 and 3600000, got -1",
      "{\"maxBackoffMs\":100,\"initialBackoffMs\":500} | targets[0].retry.maxBackoffMs: must be at least initialBackoffMs (500), got 100",
      "{\"multiplier\":0.5}              | targets[0].retry.multiplier: must be a number between 1.0 and 10.0, got 0.5",
      "{\"multiplier\":\"2\"}            | targets[0].retry.multiplier: must be a number between 1.0 and 10.0, got '2'",
      "{\"retryAfterCapSeconds\":0}      | targets[0].retry.retryAfterCapSeconds: must be between 1 and 86400, got 0",
      "{\"maxAttempt\":5}                | targets[0].retry.maxAttempt: unknown key (known: initialBackoffMs, maxAttempts, maxBackoffMs, maxEventAgeSeconds, multiplier, retryAfterCapSeconds, statusClasses)",
      "{\"statusClasses\":[]}            | targets[0].retry.statusClasses: must be an object, got an array",
      "{\"statusClasses\":{\"4x\":\"retry\"}}  | targets[0].retry.statusClasses.4x: must be a status code from 100 to 599 (\"404\") or a status class (\"4xx\")",
      "{\"statusClasses\":{\"600\":\"retry\"}} | targets[0].retry.statusClasses.600: must be a status code from 100 to 599 (\"404\") or a status class (\"4xx\")",
      "{\"statusClasses\":{\"409\":\"retrry\"}} | targets[0].retry.statusClasses.409: must be one of success, retry, deadletter, got 'retrry'",
      "{\"statusClasses\":{\"409\":null}}       | targets[0].retry.statusClasses.409: must be one of success, retry, deadletter, got null",
      "{\"statusClasses\":{\"409\":5}}          | targets[0].retry.statusClasses.409: must be a string, got 5"})
  void verifiesThatInvalidSettingsFailNamingTheirPath(String json, String message) {
    assertEquals(message, error(json));
  }
}
