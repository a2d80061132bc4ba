package io.switchboard.ingest;

/**
 * A request body that is not the JSON it claims to be, with the byte offset where scanning gave up, so a
 * dead letter can say where the sender's payload broke.
 */
public final class MalformedJsonException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int offset;

  public MalformedJsonException(String problem, int offset) {
    super(problem + " at offset " + offset);
    this.offset = offset;
  }

  /** Zero-based byte offset into the scanned buffer. */
  public int offset() {
    return offset;
  }
}
