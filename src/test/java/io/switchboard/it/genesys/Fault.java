package io.switchboard.it.genesys;

/**
 * An answer the emulator gives instead of the real one, for failure injection: the HTTP status, the ErrorBody
 * {@code code} and {@code message}, and for 429 the {@code Retry-After} seconds.
 *
 * <p>The 429 code and message are the ones the facts file quotes ({@code too.many.requests.retry.after}, "Rate limit
 * exceeded the maximum. Retry the request in [N] seconds"). The 401 and 5xx codes ({@code bad.credentials},
 * {@code internal.server.error}, {@code service.unavailable}, ...) are Genesys-style but <b>not verified</b>.
 */
public record Fault(int status, String code, String message, int retryAfterSeconds) {

  public Fault {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("a fault is a 4xx or 5xx status, not " + status);
    }
    if (retryAfterSeconds < 0) {
      throw new IllegalArgumentException("retryAfterSeconds must be >= 0");
    }
  }

  /** 401 as for an expired or unknown token. */
  public static Fault unauthorized() {
    return new Fault(401, "bad.credentials", "Invalid login credentials.", 0);
  }

  /** 429 with {@code Retry-After: retryAfterSeconds}. */
  public static Fault tooManyRequests(int retryAfterSeconds) {
    return new Fault(429, "too.many.requests.retry.after",
        "Rate limit exceeded the maximum. Retry the request in [" + retryAfterSeconds + "] seconds", retryAfterSeconds);
  }

  /** A 5xx: 500, 502, 503, 504 get their usual names; any other 5xx a generic one. */
  public static Fault serverError(int status) {
    if (status < 500) {
      throw new IllegalArgumentException("not a 5xx: " + status);
    }
    return switch (status) {
      case 500 -> new Fault(500, "internal.server.error", "The server encountered an unexpected condition.", 0);
      case 502 -> new Fault(502, "bad.gateway", "The server received an invalid response from an upstream server.", 0);
      case 503 -> new Fault(503, "service.unavailable", "Service is currently unavailable.", 0);
      case 504 -> new Fault(504, "gateway.timeout", "The upstream server did not answer in time.", 0);
      default -> new Fault(status, "server.error", "Server error.", 0);
    };
  }

  /** The fault a control-endpoint or command-line status number stands for. */
  public static Fault forStatus(int status, int retryAfterSeconds) {
    if (status == 401) {
      return unauthorized();
    }
    if (status == 429) {
      return tooManyRequests(retryAfterSeconds);
    }
    if (status >= 500) {
      return serverError(status);
    }
    return new Fault(status, "bad.request", "Injected failure.", 0);
  }
}
