package io.switchboard.park;

import java.util.Objects;

/**
 * A record waiting in a {@link ParkLog}: its offset (what {@link ParkLog#commit(long)} takes) and its bytes.
 *
 * <p>Repeated peeks hand out the same array without copying it, so treat {@code payload} as read-only. As with any
 * record holding an array, {@code equals} compares the array by identity; compare payloads with
 * {@link java.util.Arrays#equals(byte[], byte[])}.
 *
 * @param offset  the record's sequence number in its log, stable across restarts
 * @param payload the bytes that were appended
 */
public record Parked(long offset, byte[] payload) {

  public Parked {
    Objects.requireNonNull(payload, "payload");
  }

  /** Names the offset and size only: payloads are events, and events are not for logs. */
  @Override
  public String toString() {
    return "Parked[offset=" + offset + ", " + payload.length + " bytes]";
  }
}
