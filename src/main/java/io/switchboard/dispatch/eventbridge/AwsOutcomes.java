package io.switchboard.dispatch.eventbridge;

import io.switchboard.dispatch.FailureDetail;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Translates EventBridge's answers into the {@link Outcome}s the retry policy classifies, as HTTP-like statuses with
 * the AWS code and message as detail, so {@code retry.statusClasses} can override any of them per target.
 *
 * <ul>
 *   <li>{@code ThrottlingException} → 429; {@code InternalFailure}/{@code InternalException} → 500: retried (the
 *       result entry's "retryable errors").</li>
 *   <li>{@code InvalidArgument}, {@code MalformedDetail}, {@code ValidationException},
 *       {@code InvalidAccountIdException},
 *       {@code RedactionFailure}, an entry too large → 400; {@code AccessDeniedException} and the
 *       {@code NotAuthorizedFor…} codes → 403: dead-lettered by default (the "non-retryable errors").</li>
 *   <li>A request refused for its credentials or signature → 401: dead-lettered by default, but
 *       {@code "statusClasses": {"401": "retry"}} keeps events waiting through a credentials outage.</li>
 *   <li>A code this version does not know: retried when its name says throttling or an internal/unavailable service
 *       (which a new code for a passing condition would), else 400. Retrying an unknown permanent error would hold
 *       its conversation's later events back for the whole age limit; dead-lettered, it can be replayed.</li>
 * </ul>
 */
final class AwsOutcomes {

  static final String ENTRY_TOO_LARGE = "EntryTooLarge";
  private static final int MAX_DETAIL = 300;

  private static final Map<String, Integer> CODES = Map.ofEntries(
      Map.entry("ThrottlingException", 429),
      Map.entry("InternalFailure", 500),
      Map.entry("InternalException", 500),
      Map.entry("ServiceUnavailable", 503),
      Map.entry("InvalidArgument", 400),
      Map.entry("MalformedDetail", 400),
      Map.entry("ValidationException", 400),
      Map.entry("InvalidAccountIdException", 400),
      Map.entry("RedactionFailure", 400),
      Map.entry(ENTRY_TOO_LARGE, 400),
      Map.entry("AccessDeniedException", 403),
      Map.entry("NotAuthorizedForSourceException", 403),
      Map.entry("NotAuthorizedForDetailTypeException", 403),
      Map.entry("UnrecognizedClientException", 401),
      Map.entry("InvalidClientTokenId", 401),
      Map.entry("InvalidSignatureException", 401),
      Map.entry("IncompleteSignature", 401),
      Map.entry("IncompleteSignatureException", 401),
      Map.entry("MissingAuthenticationToken", 401),
      Map.entry("MissingAuthenticationTokenException", 401),
      Map.entry("ExpiredToken", 401),
      Map.entry("ExpiredTokenException", 401));

  private AwsOutcomes() {
  }

  /** The status an AWS error code stands for. */
  static int status(String errorCode) {
    Integer known = CODES.get(errorCode);
    if (known != null) {
      return known;
    }
    String lower = errorCode.toLowerCase(Locale.ROOT);
    if (lower.contains("throttl")) {
      return 429;
    }
    return lower.contains("internal") || lower.contains("unavailable") ? 500 : 400;
  }

  /** One result entry: its {@code EventId} means delivered, its {@code ErrorCode} a failure of that entry alone. */
  static Outcome ofEntry(PutEventsResultEntry result) {
    if (result.errorCode() != null) {
      return failed(result.errorCode(), result.errorMessage(), null);
    }
    if (result.eventId() == null) {
      return Outcome.status(500, null, "result entry has neither EventId nor ErrorCode");
    }
    return Outcome.status(200);
  }

  /** An entry that failed with an AWS error code: EventBridge's, or one of the same kind given before sending. */
  static Outcome failed(String errorCode, String errorMessage, String retryAfter) {
    return Outcome.status(status(errorCode), retryAfter, clip(errorMessage == null || errorMessage.isBlank()
        ? errorCode : errorCode + ": " + errorMessage));
  }

  /** The error code of a whole-request failure, for metrics; {@code "transport"} when there was no answer. */
  static String errorCode(Throwable failure) {
    Throwable t = FailureDetail.unwrap(failure);
    if (t instanceof AwsServiceException service) {
      AwsErrorDetails details = service.awsErrorDetails();
      return details != null && details.errorCode() != null ? details.errorCode() : "http" + service.statusCode();
    }
    return "transport";
  }

  /** A PutEvents call that failed as a whole: the same outcome for every entry it carried. */
  static Outcome ofFailure(Throwable failure) {
    Throwable t = FailureDetail.unwrap(failure);
    if (!(t instanceof AwsServiceException service)) {
      return transport(t);
    }
    AwsErrorDetails details = service.awsErrorDetails();
    String code = details == null ? null : details.errorCode();
    String message = details == null ? service.getMessage() : details.errorMessage();
    String retryAfter = details == null || details.sdkHttpResponse() == null ? null
        : details.sdkHttpResponse().firstMatchingHeader("Retry-After").orElse(null);
    int http = service.statusCode();
    int status;
    if (service.isThrottlingException()) {
      status = 429;
    } else if (code != null) {
      // The JSON protocol answers most errors with HTTP 400, so the code decides; a 5xx is trusted as it is.
      status = CODES.containsKey(code) || http < 500 || http > 599 ? status(code) : http;
    } else {
      status = http >= 400 && http <= 599 ? http : 500;
    }
    String what = code != null ? code : "HTTP " + http;
    String detail = message == null || message.isBlank() ? what : what + ": " + message;
    return Outcome.status(status, retryAfter, clip(detail));
  }

  /** Whether EventBridge refused the request's input as a whole (too large, malformed), not its entries one by one. */
  static boolean isValidation(Throwable failure) {
    return FailureDetail.unwrap(failure) instanceof AwsServiceException service && service.awsErrorDetails() != null
        && "ValidationException".equals(service.awsErrorDetails().errorCode());
  }

  private static Outcome transport(Throwable failure) {
    if (failure instanceof ApiCallTimeoutException || failure instanceof ApiCallAttemptTimeoutException) {
      return Outcome.transport(TransportError.TIMEOUT, "no complete answer in time");
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      // Netty's connect timeout is a ConnectException: timeouts first.
      if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException
          || t instanceof io.netty.channel.ConnectTimeoutException || t instanceof SocketTimeoutException) {
        return Outcome.transport(TransportError.TIMEOUT, "timed out");
      }
      if (t instanceof ConnectException) {
        return Outcome.transport(TransportError.CONNECTION_REFUSED, "connection refused");
      }
      if (t instanceof ClosedChannelException) {
        return Outcome.transport(TransportError.CONNECTION_RESET, "connection closed before the answer was complete");
      }
      if (t instanceof IOException && t.getMessage() != null) {
        String message = t.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("connection reset") || message.contains("broken pipe")
            || message.contains("closed")) {
          return Outcome.transport(TransportError.CONNECTION_RESET, "connection reset or closed");
        }
      }
    }
    String message = failure.getMessage() == null ? "" : ": " + failure.getMessage();
    return Outcome.transport(TransportError.OTHER, clip(failure.getClass().getSimpleName() + message));
  }

  private static String clip(String text) {
    return FailureDetail.clip(text, MAX_DETAIL);
  }
}
