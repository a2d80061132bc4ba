package io.switchboard.park;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static io.switchboard.park.ParkFiles.corruptNames;
import static io.switchboard.park.ParkFiles.flipByte;
import static io.switchboard.park.ParkFiles.segment;
import static io.switchboard.park.ParkFiles.segmentNames;
import static io.switchboard.park.ParkFiles.show;
import static io.switchboard.park.ParkLogTest.records;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crash and damage scenarios: what {@link ParkLog#open} keeps, cuts, sets aside and reports. */
class ParkLogRecoveryTest {

  private static final long MAX_BYTES = 1 << 20;
  private static final long SEGMENT_BYTES = 4096;
  /** Four 16-byte records per segment (see {@link ParkLogTest#records}). */
  private static final long FOUR_RECORD_SEGMENT = 64;
  private static final int RECORD = 16;

  @TempDir
  Path dir;

  @Test
  void verifiesThatATornTailIsTruncatedAndTheIntactRecordsKept() throws Exception {
    park(SEGMENT_BYTES, 5, 1);
    Path file = segment(dir, 0);
    truncate(file, 5 * RECORD - 7);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      ParkRecovery recovery = log.recovery();
      assertEquals(RECORD - 7, recovery.droppedBytes());
      assertEquals(OptionalLong.of(4), recovery.firstDroppedOffset());
      assertEquals(List.of(), recovery.quarantined(), "a torn tail was never acknowledged: nothing to keep");
      assertEquals(1, recovery.notes().size());
      assertFalse(recovery.isClean());
      assertEquals(4 * RECORD, Files.size(file));
      assertEquals(List.of("2:r2", "3:r3"), show(log.peek(10)));
      assertEquals(4, log.append(records(4, 1)), "the torn record's offset was never handed out");
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      assertEquals(List.of("2:r2", "3:r3", "4:r4"), show(log.peek(10)));
    }
  }

  @Test
  void verifiesThatATornRecordHeaderIsTruncated() throws Exception {
    park(SEGMENT_BYTES, 3, -1);
    truncate(segment(dir, 0), 2 * RECORD + 5);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertEquals(5, log.recovery().droppedBytes());
      assertEquals(List.of("0:r0", "1:r1"), show(log.peek(10)));
    }
  }

  @Test
  void verifiesThatGarbageAfterTheLastRecordIsCutOff() throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    for (int attempt = 0; attempt < 20; attempt++) {
      Path attemptDir = dir.resolve("attempt-" + attempt);
      park(attemptDir, SEGMENT_BYTES, 5, 1);
      byte[] garbage = new byte[1 + random.nextInt(200)];
      random.nextBytes(garbage);
      Files.write(segment(attemptDir, 0), garbage, StandardOpenOption.APPEND);

      try (ParkLog log = ParkLog.open(attemptDir, MAX_BYTES, SEGMENT_BYTES)) {
        assertEquals(garbage.length, log.recovery().droppedBytes(), "attempt " + attempt);
        assertEquals(OptionalLong.of(5), log.recovery().firstDroppedOffset());
        assertEquals(5 * RECORD, Files.size(segment(attemptDir, 0)));
        assertEquals(List.of("2:r2", "3:r3", "4:r4"), show(log.peek(10)));
        assertEquals(5, log.append(records(5, 1)));
      }
    }
  }

  @Test
  void verifiesThatAZeroFilledTailCountsAsTornRatherThanAsRecords() throws Exception {
    park(SEGMENT_BYTES, 3, -1);
    Files.write(segment(dir, 0), new byte[1000], StandardOpenOption.APPEND);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertEquals(1000, log.recovery().droppedBytes());
      assertEquals(List.of(), log.recovery().quarantined());
      assertEquals(3, log.pendingRecords());
    }
  }

  @Test
  void verifiesThatACorruptRecordStopsRecoveryThereAndIsReportedWithACopyKept() throws Exception {
    park(SEGMENT_BYTES, 10, -1);
    Path file = segment(dir, 0);
    flipByte(file, 5 * RECORD + 8 + 1);
    byte[] damaged = Files.readAllBytes(file);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      ParkRecovery recovery = log.recovery();
      assertEquals(OptionalLong.of(5), recovery.firstDroppedOffset());
      assertEquals(5 * RECORD, recovery.droppedBytes());
      assertEquals(1, recovery.quarantined().size());
      assertArrayEquals(damaged, Files.readAllBytes(recovery.quarantined().get(0)),
          "the records after the damage may have been acknowledged: an operator gets them all");
      assertTrue(recovery.notes().get(0).contains("record 5"), recovery.notes().toString());
      assertEquals(5, log.pendingRecords());
      assertEquals(List.of("0:r0", "1:r1", "2:r2", "3:r3", "4:r4"), show(log.peek(10)));
      assertEquals(5, log.append(records(5, 1)));
    }
  }

  @Test
  void verifiesThatACorruptRecordInAnOlderSegmentSetsAsideEverythingAfterIt() throws Exception {
    park(FOUR_RECORD_SEGMENT, 10, -1);
    flipByte(segment(dir, 4), RECORD + 4);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      ParkRecovery recovery = log.recovery();
      assertEquals(OptionalLong.of(5), recovery.firstDroppedOffset());
      assertEquals(3 * RECORD + 2 * RECORD, recovery.droppedBytes());
      assertEquals(2, recovery.quarantined().size());
      assertEquals(2, corruptNames(dir).size());
      assertEquals(List.of("park-00000000000000000000.log", "park-00000000000000000004.log"), segmentNames(dir));
      assertEquals(List.of("0:r0", "1:r1", "2:r2", "3:r3", "4:r4"), show(log.peek(10)));
      assertEquals(5, log.append(records(5, 1)));
      assertEquals(2 * RECORD, Files.size(segment(dir, 4)));
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      assertEquals(6, log.pendingRecords());
    }
  }

  @Test
  void verifiesThatAMissingSegmentEndsTheLogAtTheGap() throws Exception {
    park(FOUR_RECORD_SEGMENT, 10, -1);
    Files.delete(segment(dir, 4));

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertEquals(OptionalLong.of(4), log.recovery().firstDroppedOffset());
      assertEquals(2 * RECORD, log.recovery().droppedBytes());
      assertEquals(1, corruptNames(dir).size());
      assertTrue(corruptNames(dir).get(0).startsWith("park-00000000000000000008.log."), corruptNames(dir).get(0));
      assertEquals(4, log.pendingRecords());
      assertEquals(4, log.append(records(4, 1)));
    }
  }

  @Test
  void verifiesThatADamagedCursorReplaysFromTheOldestRecord() throws Exception {
    park(SEGMENT_BYTES, 5, 2);
    Files.write(dir.resolve(CursorFile.NAME), new byte[] {9, 9, 9});

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertEquals(1, log.recovery().notes().size(), log.recovery().toString());
      assertEquals(5, log.pendingRecords(), "repeating deliveries beats losing them");
      assertEquals(List.of("0:r0"), show(log.peek(1)));
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertTrue(log.recovery().isClean(), "recovery rewrote the cursor: " + log.recovery());
    }
  }

  @Test
  void verifiesThatSegmentsACrashLeftBehindAfterACommitAreDeletedOnOpen() throws Exception {
    byte[] first;
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 6));
      first = Files.readAllBytes(segment(dir, 0));
      log.peek(5);
      log.commit(4);
      assertFalse(Files.exists(segment(dir, 0)));
    }
    // The cursor was durable but the deletion did not reach the disk.
    Files.write(segment(dir, 0), first);

    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      assertEquals(List.of("park-00000000000000000004.log"), segmentNames(dir));
      assertEquals(1, log.pendingRecords());
      assertEquals(RECORD, log.pendingBytes());
      assertEquals(List.of("5:r5"), show(log.peek(10)));
    }
  }

  @Test
  void verifiesThatARecordDamagedAfterOpenFailsTheLogUntilItIsReopened() throws Exception {
    Path file = segment(dir, 0);
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      log.append(records(0, 3));
      flipByte(file, 2 * RECORD + 8);
      assertThrows(IOException.class, () -> log.peek(3));
      assertThrows(IllegalStateException.class, () -> log.peek(1), "a failed log refuses further use");
      assertThrows(IllegalStateException.class, () -> log.append(records(3, 1)));
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertEquals(OptionalLong.of(2), log.recovery().firstDroppedOffset());
      assertEquals(List.of("0:r0", "1:r1"), show(log.peek(3)));
    }
  }

  /** Parks {@code count} records in {@link #dir}, then commits up to {@code commitUpTo} (none if negative). */
  private void park(long segmentBytes, int count, long commitUpTo) throws Exception {
    park(dir, segmentBytes, count, commitUpTo);
  }

  private static void park(Path dir, long segmentBytes, int count, long commitUpTo) throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, segmentBytes)) {
      List<byte[]> batch = new ArrayList<>(records(0, count));
      log.append(batch);
      if (commitUpTo >= 0) {
        log.peek((int) commitUpTo + 1);
        log.commit(commitUpTo);
      }
    }
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }
}
