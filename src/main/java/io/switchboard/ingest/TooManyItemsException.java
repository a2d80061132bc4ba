package io.switchboard.ingest;

/**
 * A body holding more items than a source takes at once. Refused whole and before any item is parsed: an item costs
 * far more than its bytes (a parse, a result, often a dead letter), so a body of tiny items must not fan out without
 * bound.
 */
public final class TooManyItemsException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TooManyItemsException(int limit) {
    super("the array holds more than " + limit + " items");
  }
}
