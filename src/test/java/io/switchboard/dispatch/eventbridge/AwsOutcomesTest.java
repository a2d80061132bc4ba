package io.switchboard.dispatch.eventbridge;

import io.switchboard.dispatch.Attempt;
import io.switchboard.dispatch.Decision;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import io.switchboard.dispatch.RetryPolicy;
import io.switchboard.message.DeadLetter.Reason;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.eventbridge.model.EventBridgeException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AwsOutcomesTest {

  private static final RetryPolicy DEFAULTS = RetryPolicy.defaults();

  private static EventBridgeException service(int status, String code, String message, String retryAfter) {
    SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
    if (retryAfter != null) {
      http.putHeader("Retry-After", retryAfter);
    }
    return (EventBridgeException) EventBridgeException.builder().statusCode(status).message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).sdkHttpResponse(http.build())
            .build()).build();
  }

  private static Decision decide(Outcome outcome) {
    return DEFAULTS.decide(new Attempt(1, 0, 1_000, outcome));
  }

  @Test
  void verifiesThatEntryErrorCodesMapToStatusesTheRetryPolicyClassifiesAsAwsDocumentsThem() {
    for (String retryable : new String[] {"ThrottlingException", "InternalFailure", "InternalException"}) {
      assertInstanceOf(Decision.RetryAt.class, decide(AwsOutcomes.failed(retryable, "x", null)), retryable);
    }
    for (String permanent : new String[] {"AccessDeniedException", "InvalidAccountIdException", "InvalidArgument",
        "MalformedDetail", "RedactionFailure", "NotAuthorizedForSourceException", "NotAuthorizedForDetailTypeException",
        "ValidationException", AwsOutcomes.ENTRY_TOO_LARGE}) {
      assertInstanceOf(Decision.DeadLetter.class, decide(AwsOutcomes.failed(permanent, "x", null)), permanent);
    }
    assertEquals(429, AwsOutcomes.status("ThrottlingException"));
    assertEquals(500, AwsOutcomes.status("InternalFailure"));
    assertEquals(403, AwsOutcomes.status("NotAuthorizedForSourceException"));
    assertEquals(400, AwsOutcomes.status("MalformedDetail"));
    // Codes this version does not know: retried only when the name says the condition passes.
    assertEquals(429, AwsOutcomes.status("RequestThrottledException"));
    assertEquals(500, AwsOutcomes.status("ServiceTemporarilyUnavailable"));
    assertEquals(400, AwsOutcomes.status("SomethingNewAndPermanent"));
  }

  @Test
  void verifiesThatAResultEntryIsSuccessOrItsOwnFailureWithTheAwsMessage() {
    assertEquals(Outcome.status(200), AwsOutcomes.ofEntry(PutEventsResultEntry.builder().eventId("e-1").build()));
    Outcome throttled = AwsOutcomes.ofEntry(PutEventsResultEntry.builder().errorCode("ThrottlingException")
        .errorMessage("Rate exceeded").build());
    assertEquals(Outcome.status(429, null, "ThrottlingException: Rate exceeded"), throttled);
    assertEquals("status 429 (ThrottlingException: Rate exceeded)", throttled.describe());
    Outcome neither = AwsOutcomes.ofEntry(PutEventsResultEntry.builder().build());
    assertEquals(500, ((Outcome.Status) neither).code());
  }

  @Test
  void verifiesThatTheAwsMessageReachesTheDeadLetterReason() {
    Decision.DeadLetter dead = assertInstanceOf(Decision.DeadLetter.class,
        decide(AwsOutcomes.failed("MalformedDetail", "Detail is malformed.", null)));
    assertEquals(Reason.DELIVERY_REJECTED, dead.reason());
    assertEquals("target rejected the event: status 400 (MalformedDetail: Detail is malformed.) is classified "
        + "deadletter by '4xx'", dead.why());
    Decision.RetryAt retry = assertInstanceOf(Decision.RetryAt.class,
        decide(AwsOutcomes.failed("InternalFailure", "An internal failure occurred", null)));
    assertTrue(retry.why().startsWith("attempt 1 failed with status 500 (InternalFailure: An internal failure occurred)"),
        retry.why());
  }

  @Test
  void verifiesThatWholeRequestFailuresMapByTheirErrorCodeNotTheJsonProtocols400() {
    assertEquals(Outcome.status(429, null, "ThrottlingException: Rate exceeded"),
        AwsOutcomes.ofFailure(new CompletionException(service(400, "ThrottlingException", "Rate exceeded", null))));
    assertEquals(Outcome.status(500, null, "InternalException: Internal service error"),
        AwsOutcomes.ofFailure(service(500, "InternalException", "Internal service error", null)));
    String invalidToken = "The security token included in the request is invalid.";
    assertEquals(Outcome.status(401, null, "UnrecognizedClientException: " + invalidToken),
        AwsOutcomes.ofFailure(service(400, "UnrecognizedClientException", invalidToken, null)));
    String tooLarge = "Total size of the entries in the request is over the limit.";
    assertEquals(Outcome.status(400, null, "ValidationException: " + tooLarge),
        AwsOutcomes.ofFailure(service(400, "ValidationException", tooLarge, null)));
    assertEquals(Outcome.status(503, "2", "HTTP 503"), AwsOutcomes.ofFailure(service(503, null, null, "2")));
    assertEquals(Outcome.status(502, null, "SomeGatewayError: bad gateway"),
        AwsOutcomes.ofFailure(service(502, "SomeGatewayError", "bad gateway", null)));
    assertTrue(AwsOutcomes.isValidation(new CompletionException(service(400, "ValidationException", "x", null))));
    assertEquals("ThrottlingException", AwsOutcomes.errorCode(service(400, "ThrottlingException", "x", null)));
  }

  @Test
  void verifiesThatFailuresWithoutAnAnswerAreTransportFailures() {
    Outcome.TransportFailure timeout = assertInstanceOf(Outcome.TransportFailure.class,
        AwsOutcomes.ofFailure(new CompletionException(ApiCallTimeoutException.create(100))));
    assertEquals(TransportError.TIMEOUT, timeout.error());
    Outcome.TransportFailure refused = assertInstanceOf(Outcome.TransportFailure.class, AwsOutcomes.ofFailure(
        SdkClientException.create("Unable to execute HTTP request", new ConnectException("Connection refused"))));
    assertEquals(TransportError.CONNECTION_REFUSED, refused.error());
    Outcome.TransportFailure other = assertInstanceOf(Outcome.TransportFailure.class,
        AwsOutcomes.ofFailure(SdkClientException.create("Unable to load credentials")));
    assertEquals(TransportError.OTHER, other.error());
    assertEquals("SdkClientException: Unable to load credentials", other.detail());
    assertEquals("transport", AwsOutcomes.errorCode(SdkClientException.create("Unable to load credentials")));
  }
}
