package io.switchboard.dispatch.kinesis;

import io.switchboard.dispatch.FailureDetail;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps what Kinesis answered onto the {@link Outcome}s the dispatcher's retry policy understands, so a
 * {@code kinesis} target is retried, dead-lettered and tuned ({@code retry.statusClasses}) exactly like an
 * {@code http} one:
 *
 * <table>
 *   <caption>Kinesis answer → outcome → default decision</caption>
 *   <tr><td>entry with a sequence number</td><td>200</td><td>delivered</td></tr>
 *   <tr><td>entry {@code ProvisionedThroughputExceededException}, {@code KMSThrottlingException}</td><td>429</td><td>retry with backoff</td></tr>
 *   <tr><td>entry {@code InternalFailure} or any other error code</td><td>500</td><td>retry</td></tr>
 *   <tr><td>record larger than {@code maxRecordBytes} (never sent)</td><td>413</td><td>dead-letter {@code delivery_rejected}</td></tr>
 *   <tr><td>whole request throttled ({@code ProvisionedThroughputExceeded}, {@code LimitExceeded}, any throttling error)</td><td>429</td><td>retry</td></tr>
 *   <tr><td>whole request refused for a reason an operator fixes without touching the events (stream missing or
 *       being updated, access denied, KMS key unusable, bad or expired credentials)</td><td>503</td><td>retry, so
 *       nothing is lost while it is fixed; the target shows {@code FAILING} in {@code /ready}</td></tr>
 *   <tr><td>whole request, any other 5xx</td><td>that status</td><td>retry</td></tr>
 *   <tr><td>whole request, any other 4xx ({@code InvalidArgumentException}, a proxy's 413 …)</td><td>that status</td><td>dead-letter</td></tr>
 *   <tr><td>no answer: connection refused or reset, timeout, no credentials found</td><td>transport failure</td><td>retry</td></tr>
 * </table>
 * The status carries the AWS error code and message as its detail, so logs, {@code /ready} and dead letters say
 * what Kinesis said. AWS error messages name the account and stream, never credentials.
 */
final class PutRecordsOutcomes {

  static final String THROUGHPUT_EXCEEDED = "ProvisionedThroughputExceededException";
  static final String INTERNAL_FAILURE = "InternalFailure";
  /** The error code the metrics use for records refused before sending. */
  static final String RECORD_TOO_LARGE = "RecordTooLarge";

  private static final Outcome SUCCESS = Outcome.status(200);
  private static final Set<String> THROTTLING = Set.of(THROUGHPUT_EXCEEDED, "LimitExceededException",
      "KMSThrottlingException", "ThrottlingException", "Throttling", "RequestLimitExceeded");
  /** Request-level refusals an operator fixes: the events themselves are fine and must not be dead-lettered. */
  private static final Set<String> OPERATOR_FIXES = Set.of("ResourceNotFoundException", "ResourceInUseException",
      "AccessDeniedException", "KMSDisabledException", "KMSInvalidStateException", "KMSAccessDeniedException",
      "KMSNotFoundException", "KMSOptInRequired", "UnrecognizedClientException", "InvalidSignatureException",
      "ExpiredTokenException", "ExpiredToken", "MissingAuthenticationToken", "IncompleteSignature",
      "InvalidClientTokenId", "SignatureDoesNotMatch");
  private static final Pattern SHARD = Pattern.compile("shardId-[0-9]+");
  private static final int MAX_DETAIL = 240;

  private PutRecordsOutcomes() {
  }

  /** The outcome of one entry of a PutRecords response. */
  static Outcome entry(PutRecordsResultEntry entry) {
    if (entry.errorCode() == null && entry.sequenceNumber() != null) {
      return SUCCESS;
    }
    String code = entry.errorCode() == null ? "NoSequenceNumber" : entry.errorCode();
    String detail = clip(code + (entry.errorMessage() == null ? "" : ": " + entry.errorMessage()));
    return Outcome.mapped(THROTTLING.contains(code) ? 429 : 500, detail);
  }

  /** The outcome of every record of a request that failed as a whole. */
  static Outcome request(Throwable failure, long timeoutMs) {
    Throwable t = FailureDetail.unwrap(failure);
    if (t instanceof AwsServiceException aws) {
      String code = errorCode(aws);
      String detail = clip(code + ": " + message(aws));
      if (aws.isThrottlingException() || THROTTLING.contains(code)) {
        return Outcome.mapped(429, detail);
      }
      if (OPERATOR_FIXES.contains(code)) {
        return Outcome.mapped(503, detail);
      }
      int status = aws.statusCode();
      return Outcome.mapped(status >= 400 && status <= 599 ? status : 500, detail);
    }
    if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
        || t instanceof TimeoutException) {
      return Outcome.transport(TransportError.TIMEOUT, "no answer from Kinesis within " + timeoutMs + " ms");
    }
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof ConnectException) {
        return Outcome.transport(TransportError.CONNECTION_REFUSED, "connection refused");
      }
      if (c instanceof IOException && c.getMessage() != null) {
        String m = c.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("reset") || m.contains("closed") || m.contains("broken pipe")) {
          return Outcome.transport(TransportError.CONNECTION_RESET, "connection closed before the answer was complete");
        }
      }
    }
    return Outcome.transport(TransportError.OTHER, clip(t.getClass().getSimpleName()
        + (t.getMessage() == null ? "" : ": " + t.getMessage())));
  }

  /** What the metrics call a request-level failure: the AWS error code, else the exception's simple name. */
  static String errorCode(Throwable failure) {
    Throwable t = FailureDetail.unwrap(failure);
    return t instanceof AwsServiceException aws ? errorCode(aws) : t.getClass().getSimpleName();
  }

  /**
   * The shard a throttling message names ("Rate exceeded for shard shardId-000000000001 in stream s under account
   * 1."), or {@code "unknown"}.
   */
  static String shardOf(String message) {
    if (message == null) {
      return "unknown";
    }
    Matcher m = SHARD.matcher(message);
    return m.find() ? m.group() : "unknown";
  }

  private static String errorCode(AwsServiceException aws) {
    String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
    return code == null || code.isBlank() ? aws.getClass().getSimpleName() : code;
  }

  private static String message(AwsServiceException aws) {
    String m = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
    return m == null || m.isBlank() ? "status " + aws.statusCode() : m;
  }

  private static String clip(String text) {
    return FailureDetail.clip(text, MAX_DETAIL);
  }
}
