package io.switchboard.park;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.park.ParkFiles.bytes;
import static io.switchboard.park.ParkFiles.segmentNames;
import static io.switchboard.park.ParkFiles.show;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The journal's way of using a park log: unforced appends, and commits of records nobody peeked. */
class ParkLogCommitThroughTest {

  /** An 8-byte payload makes a 16-byte record, so a 64-byte segment holds exactly four. */
  private static final long FOUR_RECORD_SEGMENT = 64;

  @TempDir
  Path dir;

  private static List<byte[]> records(int from, int count) {
    List<byte[]> batch = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      batch.add(bytes(String.format("r%07d", i)));
    }
    return batch;
  }

  @Test
  void commitsUnpeekedRecordsAcrossSegmentsAndKeepsTheByteCountExact() throws Exception {
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      assertEquals(2, log.append(records(0, 3), false));
      assertEquals(9, log.append(records(3, 7), false));
      log.force();
      assertEquals(10 * 16, log.pendingBytes());
      assertEquals(3, segmentNames(dir).size(), "ten records of a four-record segment");

      log.commitThrough(5);
      assertEquals(4, log.pendingRecords());
      assertEquals(4 * 16, log.pendingBytes());
      assertEquals(2, segmentNames(dir).size(), "the first segment is wholly consumed and deleted");
      assertEquals(List.of("6:r0000006", "7:r0000007"), show(log.peek(2)),
          "reading resumes right after the committed record");

      log.commitThrough(6);
      assertEquals(List.of("7:r0000007", "8:r0000008", "9:r0000009"), show(log.peek(10)));
      log.commitThrough(9);
      assertEquals(0, log.pendingBytes());
      log.commitThrough(3);
      assertEquals(0, log.pendingRecords(), "an offset already committed is ignored");
      assertThrows(IllegalArgumentException.class, () -> log.commitThrough(10));
    }
  }

  @Test
  void aReopenedLogCommitsRecordsItFoundOnDiskAndResumesAtTheCursor() throws Exception {
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 6), false);
      log.commitThrough(1);
    }
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      assertEquals(4, log.pendingRecords());
      log.commitThrough(3);
      assertEquals(2 * 16, log.pendingBytes());
      assertEquals(7, log.append(records(6, 2), true));
      log.commitThrough(6);
      assertEquals(List.of("7:r0000007"), show(log.peek(10)));
    }
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      assertEquals(List.of("7:r0000007"), show(log.peek(10)), "the cursor survived the reopen");
    }
  }

  @Test
  void aScanReadsWhatWasPendingAtOpenOnceWithoutKeepingItAndThenLetsCommitsPass() throws Exception {
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 7), false);
      log.commitThrough(1);
    }
    try (ParkLog log = ParkLog.open(dir, 1 << 20, FOUR_RECORD_SEGMENT)) {
      log.append(records(7, 2), true);
      assertEquals(List.of("2:r0000002", "3:r0000003", "4:r0000004"), show(log.scan(3)));
      log.commitThrough(5);
      assertEquals(List.of("6:r0000006"), show(log.scan(3)),
          "what was committed meanwhile is skipped, and what was appended since open is not scanned");
      assertEquals(List.of(), show(log.scan(3)));
      log.commitThrough(7);
      assertEquals(List.of(), show(log.scan(3)), "a scan that ended stays ended");
      assertEquals(List.of("8:r0000008"), show(log.peek(5)));
    }
  }
}
