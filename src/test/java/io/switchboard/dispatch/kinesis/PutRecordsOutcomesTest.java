package io.switchboard.dispatch.kinesis;

import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.dispatch.Attempt;
import io.switchboard.dispatch.Decision;
import io.switchboard.message.DeadLetter.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PutRecordsOutcomesTest {

  private static Outcome.Status status(Outcome outcome) {
    return assertInstanceOf(Outcome.Status.class, outcome, outcome::describe);
  }

  private static KinesisException aws(int status, String code, String message) {
    return (KinesisException) KinesisException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build()).build();
  }

  @Test
  void verifiesThatEntriesMapToSuccessThrottlingAndInternalFailure() {
    assertEquals(200, status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder().shardId("shardId-000000000001")
        .sequenceNumber("4959").build())).code());
    Outcome.Status throttled = status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder()
        .errorCode("ProvisionedThroughputExceededException")
        .errorMessage("Rate exceeded for shard shardId-000000000001 in stream s under account 111111111111.").build()));
    assertEquals(429, throttled.code());
    assertEquals("status 429 (ProvisionedThroughputExceededException: Rate exceeded for shard shardId-000000000001 in"
        + " stream s under account 111111111111.)", throttled.describe());
    assertEquals(500, status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder().errorCode("InternalFailure")
        .errorMessage("Internal service failure.").build())).code());
    assertEquals(429, status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder()
        .errorCode("KMSThrottlingException").build())).code());
    assertEquals(500, status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder()
        .errorCode("KMSAccessDeniedException").build())).code());
    assertEquals(500, status(PutRecordsOutcomes.entry(PutRecordsResultEntry.builder().build())).code(),
        "an entry with neither a sequence number nor an error is not a success");
  }

  @ParameterizedTest
  @CsvSource({
      "400, ProvisionedThroughputExceededException, 429",
      "400, LimitExceededException, 429",
      "400, ResourceNotFoundException, 503",
      "400, ResourceInUseException, 503",
      "400, AccessDeniedException, 503",
      "400, KMSDisabledException, 503",
      "400, UnrecognizedClientException, 503",
      "403, ExpiredTokenException, 503",
      "500, InternalFailure, 500",
      "503, ServiceUnavailable, 503",
      "400, InvalidArgumentException, 400",
      "400, ValidationException, 400",
      "413, RequestEntityTooLarge, 413",
  })
  void verifiesThatWholeRequestFailuresMapByErrorCode(int httpStatus, String code, int expected) {
    Outcome.Status outcome = status(PutRecordsOutcomes.request(new CompletionException(aws(httpStatus, code, "m")), 1000));
    assertEquals(expected, outcome.code());
    assertEquals("status " + expected + " (" + code + ": m)", outcome.describe());
    assertEquals(code, PutRecordsOutcomes.errorCode(new CompletionException(aws(httpStatus, code, "m"))));
  }

  @Test
  void verifiesThatNoAnswerIsATransportFailureOfTheRightKind() {
    Outcome.TransportFailure timeout = assertInstanceOf(Outcome.TransportFailure.class,
        PutRecordsOutcomes.request(ApiCallTimeoutException.create(1000), 1000));
    assertEquals(TransportError.TIMEOUT, timeout.error());
    assertEquals("timeout (no answer from Kinesis within 1000 ms)", timeout.describe());
    Outcome.TransportFailure refused = assertInstanceOf(Outcome.TransportFailure.class, PutRecordsOutcomes.request(
        new CompletionException(SdkClientException.create("Unable to execute HTTP request", new ConnectException("refused"))), 1000));
    assertEquals(TransportError.CONNECTION_REFUSED, refused.error());
    Outcome.TransportFailure other = assertInstanceOf(Outcome.TransportFailure.class, PutRecordsOutcomes.request(
        SdkClientException.create("Unable to load credentials from any of the providers in the chain"), 1000));
    assertEquals(TransportError.OTHER, other.error());
    assertTrue(other.describe().contains("Unable to load credentials"), other.describe());
    assertEquals("SdkClientException", PutRecordsOutcomes.errorCode(SdkClientException.create("x")));
  }

  @Test
  void verifiesThatTheShardIsReadFromAThrottlingMessage() {
    assertEquals("shardId-000000000007",
        PutRecordsOutcomes.shardOf("Rate exceeded for shard shardId-000000000007 in stream s under account 1."));
    assertEquals("unknown", PutRecordsOutcomes.shardOf("Rate exceeded"));
    assertEquals("unknown", PutRecordsOutcomes.shardOf(null));
  }

  @Test
  void verifiesThatTheDefaultPolicyRetriesThrottlingAndDeadLettersAnOversizedRecordWithItsSize() {
    RetryPolicy policy = RetryPolicy.defaults();
    assertInstanceOf(Decision.RetryAt.class, policy.decide(new Attempt(1, 0, 10, PutRecordsOutcomes.entry(
        PutRecordsResultEntry.builder().errorCode("ProvisionedThroughputExceededException").build()))));
    assertInstanceOf(Decision.RetryAt.class, policy.decide(new Attempt(1, 0, 10,
        PutRecordsOutcomes.request(aws(400, "ResourceNotFoundException", "Stream s not found."), 1000))));
    Decision.DeadLetter dead = assertInstanceOf(Decision.DeadLetter.class, policy.decide(new Attempt(1, 0, 10,
        Outcome.mapped(413, "record of 2000000 bytes exceeds Kinesis limit 1048576"))));
    assertEquals(Reason.DELIVERY_REJECTED, dead.reason());
    assertEquals("target rejected the event: status 413 (record of 2000000 bytes exceeds Kinesis limit 1048576)"
        + " is classified deadletter by '4xx'", dead.why());
  }
}
