package io.switchboard.park;

/**
 * Thrown by {@link ParkLog#append} when the batch would take the log's pending bytes past its bound; nothing of
 * the batch was written. Checked on purpose: a full park store is an expected state that the caller answers with
 * back-pressure (or by parking a smaller batch), not a bug.
 */
public final class ParkFullException extends Exception {

  private final long batchBytes;
  private final long pendingBytes;
  private final long maxBytes;

  public ParkFullException(long batchBytes, long pendingBytes, long maxBytes) {
    super("park log full: a batch of " + batchBytes + " bytes does not fit beside " + pendingBytes
        + " pending bytes under the bound of " + maxBytes
        + (batchBytes > maxBytes ? " (the batch alone exceeds the bound; split it)" : ""));
    this.batchBytes = batchBytes;
    this.pendingBytes = pendingBytes;
    this.maxBytes = maxBytes;
  }

  /** On-disk size of the refused batch, record headers included. */
  public long batchBytes() {
    return batchBytes;
  }

  /** Pending bytes at the time of the refusal. */
  public long pendingBytes() {
    return pendingBytes;
  }

  /** The log's bound. */
  public long maxBytes() {
    return maxBytes;
  }
}
