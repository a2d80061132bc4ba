package io.switchboard.dispatch.kafka;

import io.switchboard.dispatch.FailureDetail;
import io.switchboard.dispatch.Outcome;
import io.switchboard.dispatch.Outcome.TransportError;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Maps what the producer reported for a record onto the {@link Outcome}s the dispatcher's retry policy understands,
 * so a {@code kafka} target is retried, dead-lettered and tuned ({@code retry.statusClasses}) like any other:
 *
 * <table>
 *   <caption>Producer result → outcome → default decision</caption>
 *   <tr><td>acknowledged by all in-sync replicas</td><td>200</td><td>delivered</td></tr>
 *   <tr><td>value + key + headers larger than {@code maxRecordBytes} (never sent)</td><td>413</td>
 *       <td>dead-letter {@code delivery_rejected}</td></tr>
 *   <tr><td>{@code RecordTooLargeException}, {@code RecordBatchTooLargeException} (the broker's or topic's
 *       {@code max.message.bytes} is lower)</td><td>413</td><td>dead-letter</td></tr>
 *   <tr><td>{@code TopicAuthorizationException}, {@code ClusterAuthorizationException}, any other
 *       {@code AuthorizationException}</td><td>403</td><td>dead-letter (map 403 to retry in
 *       {@code retry.statusClasses} to hold events while ACLs are fixed instead)</td></tr>
 *   <tr><td>{@code AuthenticationException} (SASL or TLS handshake refused)</td><td>503</td><td>retry: the credentials are
 *       an operator's to fix and the events are fine; the channel also rebuilds its producer, since an idempotent
 *       producer stays stuck after an authentication failure (KAFKA-20237)</td></tr>
 *   <tr><td>{@code InvalidRecordException}, {@code InvalidTimestampException}, {@code SerializationException}: the
 *       broker refused this record as such</td><td>400</td><td>dead-letter</td></tr>
 *   <tr><td>no metadata for the topic within {@code max.block.ms} (the topic is missing, with auto-create off, or no
 *       broker is reachable), or no buffer space within it; {@code UnknownTopicOrPartitionException},
 *       {@code InvalidTopicException}: an operator fixes these without touching the events</td><td>503</td>
 *       <td>retry; the target shows {@code FAILING} in {@code /ready}</td></tr>
 *   <tr><td>any other {@code RetriableException} still failing when the producer's own retries ran out
 *       ({@code NotEnoughReplicasException}, {@code NotLeaderOrFollowerException}, {@code NetworkException}
 *       …)</td><td>503</td><td>retry</td></tr>
 *   <tr><td>not acknowledged within {@code deliveryTimeoutMs} ({@code TimeoutException})</td>
 *       <td>transport failure (timeout)</td><td>retry</td></tr>
 *   <tr><td>any other error the broker answered ({@code OutOfOrderSequenceException},
 *       {@code UnknownServerException} …)</td><td>500</td><td>retry</td></tr>
 *   <tr><td>no broker answer at all: producer closed or not started</td><td>transport failure</td><td>retry</td></tr>
 * </table>
 * The outcome's detail names the exception and carries its message (topic, sizes, the missing ACL), so logs,
 * {@code /ready} and dead letters say what Kafka said. Retrying is always safe for the events: every record carries its
 * idempotency key, and the dispatcher never has two records of one key in flight.
 */
final class KafkaOutcomes {

  /** The error the metrics name for records refused before sending. */
  static final String RECORD_TOO_LARGE = "RecordTooLarge";

  private static final Outcome SUCCESS = Outcome.status(200);
  private static final int MAX_DETAIL = 240;

  private KafkaOutcomes() {
  }

  static Outcome success() {
    return SUCCESS;
  }

  /** A record refused before sending: {@code bytes} (value, key and headers) over {@code limit}. */
  static Outcome tooLarge(int bytes, int valueBytes, int limit) {
    return Outcome.mapped(413, "record too large: " + bytes + " bytes exceeds maxRecordBytes " + limit + " (value "
        + valueBytes + " + key + headers); not sent");
  }

  /** The outcome of a record whose send failed with {@code failure}. */
  static Outcome of(Throwable failure, KafkaTargetOptions options) {
    Throwable t = FailureDetail.unwrap(failure);
    String detail = describe(t);
    if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
      return Outcome.mapped(413, "record too large for the broker: " + detail);
    }
    if (t instanceof AuthorizationException) {
      return Outcome.mapped(403, detail);
    }
    if (t instanceof AuthenticationException) {
      return Outcome.mapped(503, clip("authentication failed (fix the credentials; events wait): " + detail));
    }
    if (t instanceof InvalidRecordException || t instanceof InvalidTimestampException
        || t instanceof SerializationException) {
      return Outcome.mapped(400, detail);
    }
    if (t instanceof GatedProducer.SendBlocked) {
      return Outcome.mapped(503, clip("topic " + options.topic() + " not writable within max.block.ms "
          + options.maxBlockMs() + " ms (topic missing, no broker reachable, or producer buffer full): "
          + t.getMessage()));
    }
    if (t instanceof TimeoutException) {
      return Outcome.transport(TransportError.TIMEOUT, clip("not acknowledged within deliveryTimeoutMs "
          + options.deliveryTimeoutMs() + " ms: " + t.getMessage()));
    }
    if (t instanceof RetriableException || t instanceof InvalidTopicException) {
      return Outcome.mapped(503, detail);
    }
    if (t instanceof ApiException) {
      return Outcome.mapped(500, detail);
    }
    return Outcome.transport(TransportError.OTHER, detail);
  }

  /** Whether {@code failure} is the broker refusing our credentials: the producer must be rebuilt. */
  static boolean isAuthentication(Throwable failure) {
    return FailureDetail.unwrap(failure) instanceof AuthenticationException;
  }

  /** What the metrics call a failure: the exception's simple name. */
  static String errorName(Throwable failure) {
    return FailureDetail.unwrap(failure).getClass().getSimpleName();
  }

  private static String describe(Throwable t) {
    return clip(t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()));
  }

  private static String clip(String text) {
    return FailureDetail.clip(text, MAX_DETAIL);
  }
}
