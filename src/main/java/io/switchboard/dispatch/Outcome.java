package io.switchboard.dispatch;

import java.util.Locale;
import java.util.Objects;

/** What one delivery attempt produced: an HTTP answer, or no answer at all. */
public sealed interface Outcome {

  /**
   * The target answered. {@code retryAfter} is the raw header value, or {@code null} when absent. Targets that
   * are not HTTP map their answers onto status codes (see the Kinesis target's table) so that one retry policy
   * and one {@code statusClasses} setting serve every type; {@code detail} then says what the code stands for
   * (an AWS error code, a size limit), because "status 413" alone would not tell an operator why.
   */
  record Status(int code, String retryAfter, String detail) implements Outcome {

    /** An answer whose status line says it all (HTTP targets). */
    public Status(int code, String retryAfter) {
      this(code, retryAfter, null);
    }

    @Override
    public String describe() {
      return detail == null || detail.isBlank() ? "status " + code : "status " + code + " (" + detail + ")";
    }
  }

  /**
   * No usable answer. A timeout may hide a request the target did process; retrying is still right because
   * every delivery carries an idempotency key.
   */
  record TransportFailure(TransportError error, String detail) implements Outcome {
    public TransportFailure {
      Objects.requireNonNull(error, "error");
    }

    @Override
    public String describe() {
      String what = error.name().toLowerCase(Locale.ROOT).replace('_', ' ');
      return detail == null || detail.isBlank() ? what : what + " (" + detail + ")";
    }
  }

  /** Kinds of transport failure; all are retried, the kind is kept for diagnostics and metrics. */
  enum TransportError { CONNECTION_REFUSED, CONNECTION_RESET, TIMEOUT, OTHER }

  /** A short human-readable form for decision messages: {@code "status 503"}, {@code "timeout"}. */
  String describe();

  static Outcome status(int code) {
    return new Status(code, null);
  }

  static Outcome status(int code, String retryAfter) {
    return new Status(code, retryAfter);
  }

  static Outcome status(int code, String retryAfter, String detail) {
    return new Status(code, retryAfter, detail);
  }

  /** A status that a non-HTTP target mapped from its own answer, with what it stands for. */
  static Outcome mapped(int code, String detail) {
    return new Status(code, null, detail);
  }

  static Outcome transport(TransportError error, String detail) {
    return new TransportFailure(error, detail);
  }
}
