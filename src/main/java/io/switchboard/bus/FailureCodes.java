package io.switchboard.bus;

/**
 * Failure codes of request/reply on the event bus ({@code message.fail(code, reason)}), so that senders
 * map them to decisions instead of parsing strings.
 */
public final class FailureCodes {

  /** The receiver is saturated; try later (maps to HTTP 503). */
  public static final int BUSY = 503;
  /** The request itself is invalid; the reason says why (maps to HTTP 400). */
  public static final int BAD_REQUEST = 400;
  /** The thing asked for does not exist (maps to HTTP 404). */
  public static final int NOT_FOUND = 404;
  /** The receiver failed unexpectedly. */
  public static final int INTERNAL = 500;

  private FailureCodes() {
  }
}
