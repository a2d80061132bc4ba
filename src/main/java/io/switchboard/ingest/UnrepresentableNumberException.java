package io.switchboard.ingest;

/**
 * A JSON number outside what a double can hold (for example {@code 1e400}): the parser turned it into an infinity,
 * which has no canonical JSON form, so the event has no fingerprint. Bad input, not a bug.
 */
public final class UnrepresentableNumberException extends IllegalArgumentException {

  public UnrepresentableNumberException(double value) {
    super("a number is out of range (parsed as " + value + ")");
  }
}
