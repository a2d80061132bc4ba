package io.switchboard.dispatch;

import io.switchboard.config.ConfigNode;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.message.DeadLetter.Reason;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyDecideTest {

  private static final long ADMITTED = 1_700_000_000_000L;
  private static final long SEED = 7;

  private static RetryPolicy policy(String json) {
    return RetryPolicy.from(new ConfigNode(new JsonObject(json), "targets[0].retry"), new SplittableRandom(SEED));
  }

  private static Decision decide(RetryPolicy policy, int number, long ageMillis, Outcome outcome) {
    return policy.decide(new Attempt(number, ADMITTED, ADMITTED + ageMillis, outcome));
  }

  private static Decision.DeadLetter deadLetter(Decision decision) {
    return assertInstanceOf(Decision.DeadLetter.class, decision);
  }

  private static Decision.RetryAt retryAt(Decision decision) {
    return assertInstanceOf(Decision.RetryAt.class, decision);
  }

  @Test
  void verifiesThatA2xxIsSuccessEvenOnTheLastAttemptAndPastTheAgeLimit() {
    RetryPolicy policy = policy("{\"maxAttempts\":3,\"maxEventAgeSeconds\":60}");
    assertEquals(new Decision.Success(), decide(policy, 1, 0, Outcome.status(200)));
    assertEquals(new Decision.Success(), decide(policy, 3, 120_000, Outcome.status(204)));
  }

  @Test
  void verifiesThatARejectedStatusIsDeadLetteredAtOnceNamingThePattern() {
    Decision.DeadLetter dead = deadLetter(decide(policy("{}"), 1, 0, Outcome.status(404)));
    assertEquals(Reason.DELIVERY_REJECTED, dead.reason());
    assertEquals("target rejected the event: status 404 is classified deadletter by '4xx'", dead.why());
  }

  @Test
  void verifiesThatARetryableStatusWaitsAFullJitterBackoffFromNow() {
    long expected = new Backoff(200, 60_000, 2.0, new SplittableRandom(SEED)).delayMillis(3);
    Decision.RetryAt retry = retryAt(decide(policy("{}"), 3, 10_000, Outcome.status(500)));
    assertEquals(ADMITTED + 10_000 + expected, retry.atMillis());
    assertTrue(retry.why().startsWith("attempt 3 failed with status 500, backoff "), retry.why());
    assertTrue(retry.why().endsWith(" ms of up to 800"), retry.why());
  }

  @Test
  void verifiesThatTransportFailuresAreRetried() {
    RetryPolicy policy = policy("{}");
    for (TransportError error : TransportError.values()) {
      Decision.RetryAt retry = retryAt(decide(policy, 1, 0, Outcome.transport(error, "crm.example:443")));
      assertTrue(retry.atMillis() >= ADMITTED && retry.atMillis() <= ADMITTED + 200, retry.toString());
    }
    assertTrue(retryAt(decide(policy, 1, 0, Outcome.transport(TransportError.CONNECTION_REFUSED, "crm:443")))
        .why().contains("connection refused (crm:443)"));
  }

  @Test
  void verifiesThatRetryAfterSecondsReplaceTheBackoffOn429And503() {
    RetryPolicy policy = policy("{}");
    assertEquals(ADMITTED + 1_000 + 30_000, retryAt(decide(policy, 1, 1_000, Outcome.status(429, "30"))).atMillis());
    Decision.RetryAt retry = retryAt(decide(policy, 1, 1_000, Outcome.status(503, "7")));
    assertEquals(ADMITTED + 1_000 + 7_000, retry.atMillis());
    assertEquals("attempt 1 failed with status 503, Retry-After 7000 ms", retry.why());
  }

  @Test
  void verifiesThatARetryAfterHttpDateIsHonoured() {
    long now = java.time.Instant.parse("2024-03-01T12:00:00Z").toEpochMilli();
    Decision decision = policy("{}").decide(new Attempt(2, now - 5_000, now,
        Outcome.status(503, "Fri, 01 Mar 2024 12:01:00 GMT")));
    assertEquals(now + 60_000, retryAt(decision).atMillis());
  }

  @Test
  void verifiesThatRetryAfterIsCappedAtRetryAfterCapSeconds() {
    Decision.RetryAt retry = retryAt(decide(policy("{\"retryAfterCapSeconds\":60}"), 1, 0, Outcome.status(429, "3600")));
    assertEquals(ADMITTED + 60_000, retry.atMillis());
    assertTrue(retry.why().endsWith("Retry-After 3600000 ms capped at retryAfterCapSeconds 60"), retry.why());
    assertEquals(ADMITTED + 300_000, retryAt(decide(policy("{}"), 1, 0, Outcome.status(503, "86400"))).atMillis());
  }

  @Test
  void verifiesThatRetryAfterOnOtherStatusesIsIgnored() {
    Decision.RetryAt retry = retryAt(decide(policy("{}"), 1, 0, Outcome.status(500, "120")));
    assertTrue(retry.atMillis() <= ADMITTED + 200, retry.toString());
  }

  @Test
  void verifiesThatAnUnparseableRetryAfterFallsBackToTheBackoff() {
    Decision.RetryAt retry = retryAt(decide(policy("{}"), 1, 0, Outcome.status(429, "in a bit")));
    assertTrue(retry.atMillis() <= ADMITTED + 200, retry.toString());
    assertTrue(retry.why().contains("unparseable Retry-After 'in a bit' ignored, backoff "), retry.why());
  }

  @Test
  void verifiesThatANegativeRetryAfterDeadLettersAtOnceAsAwsStopsRetrying() {
    Decision.DeadLetter dead = deadLetter(decide(policy("{}"), 1, 0, Outcome.status(503, "-1")));
    assertEquals(Reason.DELIVERY_REJECTED, dead.reason());
    assertEquals("target asked not to retry: status 503 with negative Retry-After '-1'", dead.why());
  }

  @Test
  void verifiesThatRunningOutOfAttemptsDeadLettersWithTheCountAndLastStatus() {
    RetryPolicy policy = policy("{\"maxAttempts\":50}");
    retryAt(decide(policy, 49, 1_000_000, Outcome.status(503)));
    Decision.DeadLetter dead = deadLetter(decide(policy, 50, 1_234_567, Outcome.status(503)));
    assertEquals(Reason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals("gave up after 50 attempts over 1234 s (maxAttempts 50 reached): last status 503", dead.why());
    Decision.DeadLetter timedOut = deadLetter(decide(policy, 50, 2_000, Outcome.transport(TransportError.TIMEOUT, null)));
    assertTrue(timedOut.why().endsWith("): last timeout"), timedOut.why());
  }

  @Test
  void verifiesThatASingleAttemptPolicyNeverRetries() {
    Decision.DeadLetter dead = deadLetter(decide(policy("{\"maxAttempts\":1}"), 1, 0, Outcome.status(503)));
    assertEquals("gave up after 1 attempt over 0 s (maxAttempts 1 reached): last status 503", dead.why());
  }

  @Test
  void verifiesThatAnEventOlderThanTheAgeLimitIsDeadLettered() {
    Decision.DeadLetter dead = deadLetter(decide(policy("{}"), 12, 3_600_001, Outcome.status(502)));
    assertEquals(Reason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals("gave up after 12 attempts over 3600 s (event older than maxEventAgeSeconds 3600): last status 502",
        dead.why());
  }

  @Test
  void verifiesThatARetryThatWouldLandPastTheAgeLimitDeadLettersNow() {
    RetryPolicy policy = policy("{\"maxEventAgeSeconds\":60}");
    Decision.DeadLetter dead = deadLetter(decide(policy, 4, 55_000, Outcome.status(429, "10")));
    assertEquals(Reason.RETRIES_EXHAUSTED, dead.reason());
    assertEquals("gave up after 4 attempts over 55 s (next retry in 10000 ms would exceed maxEventAgeSeconds 60): "
        + "last status 429", dead.why());
    // Landing exactly on the limit is still allowed.
    assertEquals(ADMITTED + 60_000, retryAt(decide(policy, 4, 55_000, Outcome.status(429, "5"))).atMillis());
  }

  @Test
  void verifiesThatABackoffPastTheAgeLimitAlsoDeadLettersNow() {
    // With a 60 s ceiling and one second left, all but a thousandth of the jitter lands too late; scan seeds
    // for both outcomes so the test does not depend on one draw.
    boolean sawRetry = false;
    boolean sawDeadLetter = false;
    for (long seed = 0; seed < 500 && !(sawRetry && sawDeadLetter); seed++) {
      RetryPolicy policy = RetryPolicy.from(new ConfigNode(new JsonObject("{\"maxEventAgeSeconds\":600}"), "retry"),
          new SplittableRandom(seed));
      Decision decision = policy.decide(new Attempt(30, ADMITTED, ADMITTED + 599_000, Outcome.status(503)));
      if (decision instanceof Decision.RetryAt retry) {
        assertTrue(retry.atMillis() <= ADMITTED + 600_000, retry.toString());
        sawRetry = true;
      } else {
        assertTrue(deadLetter(decision).why().contains("would exceed maxEventAgeSeconds 600"), decision.toString());
        sawDeadLetter = true;
      }
    }
    assertTrue(sawRetry && sawDeadLetter);
  }
}
