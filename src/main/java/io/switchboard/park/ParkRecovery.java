package io.switchboard.park;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What {@link ParkLog#open} found and repaired.
 *
 * <p>Everything from the first record that fails validation onwards is cut off, because the lengths after it can
 * no longer be trusted. When that is just the torn end of the newest segment (a batch being written when the
 * process died, which {@code append} never acknowledged), the bytes are simply truncated. When it is anything
 * else (a checksum failure with data after it, a bad record in an older segment, a missing segment), the records
 * were probably acknowledged once, so the damaged segment is first copied aside and any later segments are renamed
 * aside, as {@code *.corrupt} files listed in {@link #quarantined()}, for an operator to inspect; the log itself
 * continues from the last good record.
 *
 * @param pendingRecords   records waiting to be consumed after recovery
 * @param droppedBytes     bytes cut off the log (truncated or set aside); 0 when the log was intact
 * @param firstDroppedOffset the offset the first cut-off record had, which is where the log now ends; empty when
 *                         nothing was cut off
 * @param quarantined      files the cut-off bytes were preserved in
 * @param notes            one human-readable line per problem found, for the operator's log
 */
public record ParkRecovery(long pendingRecords, long droppedBytes, OptionalLong firstDroppedOffset,
                           List<Path> quarantined, List<String> notes) {

  public ParkRecovery {
    Objects.requireNonNull(firstDroppedOffset, "firstDroppedOffset");
    quarantined = List.copyOf(quarantined);
    notes = List.copyOf(notes);
  }

  /** Whether the log was found exactly as it was left. */
  public boolean isClean() {
    return droppedBytes == 0 && quarantined.isEmpty() && notes.isEmpty();
  }
}
