package io.switchboard.park;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import static io.switchboard.park.ParkFiles.bytes;
import static io.switchboard.park.ParkFiles.segmentNames;
import static io.switchboard.park.ParkFiles.show;
import static io.switchboard.park.ParkFiles.snapshot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParkLogTest {

  private static final long MAX_BYTES = 1 << 20;
  private static final long SEGMENT_BYTES = 4096;
  /** An 8-byte payload makes a 16-byte record, so a 64-byte segment holds exactly four. */
  private static final long FOUR_RECORD_SEGMENT = 64;

  @TempDir
  Path dir;

  @Test
  void verifiesThatRecordsComeOutInAppendOrderAndOnlyCommitConsumesThem() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertTrue(log.isEmpty());
      assertEquals(List.of(), log.peek(10));

      assertEquals(2, log.append(List.of(bytes("a"), bytes("b"), bytes("c"))));
      assertEquals(4, log.append(List.of(bytes("d"), bytes("e"))));
      assertEquals(5, log.pendingRecords());
      assertEquals(5 * 9, log.pendingBytes());

      assertEquals(List.of("0:a", "1:b"), show(log.peek(2)));
      assertEquals(List.of("0:a", "1:b", "2:c"), show(log.peek(3)));
      assertEquals(List.of("0:a"), show(log.peek(1)));
      assertEquals(5, log.pendingRecords(), "peeking consumes nothing");

      log.commit(1);
      assertEquals(3, log.pendingRecords());
      assertEquals(3 * 9, log.pendingBytes());
      assertEquals(List.of("2:c", "3:d", "4:e"), show(log.peek(10)));

      log.commit(4);
      assertTrue(log.isEmpty());
      assertEquals(0, log.pendingBytes());
      assertEquals(List.of(), log.peek(10));

      assertEquals(5, log.append(List.of(bytes("f"))));
      assertEquals(List.of("5:f"), show(log.peek(10)));
    }
  }

  @Test
  void verifiesThatTheFilesHaveTheDocumentedFormat() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      log.append(List.of(bytes("abc"), new byte[0]));
      log.peek(1);
      log.commit(0);
    }
    ByteBuffer expected = ByteBuffer.allocate(8 + 3 + 8);
    expected.putInt(3).putInt(crc32(new byte[] {0, 0, 0, 3, 'a', 'b', 'c'})).put(bytes("abc"));
    expected.putInt(0).putInt(crc32(new byte[] {0, 0, 0, 0}));
    assertArrayEquals(expected.array(), Files.readAllBytes(dir.resolve("park-00000000000000000000.log")));

    ByteBuffer cursor = ByteBuffer.allocate(12).putLong(1);
    cursor.putInt(crc32(Arrays.copyOf(cursor.array(), 8)));
    assertArrayEquals(cursor.array(), Files.readAllBytes(dir.resolve("cursor")));
  }

  @Test
  void verifiesThatReopeningRestoresThePendingRecordsTheCursorAndTheOffsets() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      log.append(List.of(bytes("a"), bytes("b"), bytes("c"), bytes("d"), bytes("e")));
      log.peek(3);
      log.commit(2);
      assertEquals(List.of("3:d", "4:e"), show(log.peek(5)), "peeked but not committed");
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      assertEquals(2, log.recovery().pendingRecords());
      assertEquals(2, log.pendingRecords());
      assertEquals(2 * 9, log.pendingBytes());
      assertEquals(List.of("3:d", "4:e"), show(log.peek(10)));
      assertEquals(5, log.append(List.of(bytes("f"))));
      log.commit(3);
    }
    // A crash in the middle of a commit leaves a half-written temporary cursor; it must not count.
    Files.write(dir.resolve(CursorFile.TEMP_NAME), new byte[] {1, 2, 3});
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      assertFalse(Files.exists(dir.resolve(CursorFile.TEMP_NAME)));
      assertEquals(List.of("4:e", "5:f"), show(log.peek(10)));
    }
  }

  @Test
  void verifiesThatSegmentsRollAtTheirSizeAndAreDeletedOnceConsumed() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertEquals(9, log.append(records(0, 10)));
      assertEquals(List.of("park-00000000000000000000.log", "park-00000000000000000004.log",
          "park-00000000000000000008.log"), segmentNames(dir));
      assertEquals(64, Files.size(ParkFiles.segment(dir, 0)));
      assertEquals(64, Files.size(ParkFiles.segment(dir, 4)));
      assertEquals(32, Files.size(ParkFiles.segment(dir, 8)));

      log.peek(5);
      log.commit(2);
      assertEquals(3, segmentNames(dir).size(), "the first segment still holds record 3");
      log.commit(4);
      assertEquals(List.of("park-00000000000000000004.log", "park-00000000000000000008.log"), segmentNames(dir));
      assertEquals(List.of("5:r5", "6:r6", "7:r7", "8:r8", "9:r9"), show(log.peek(10)));

      log.commit(9);
      assertEquals(List.of("park-00000000000000000008.log"), segmentNames(dir),
          "the newest segment stays for the next appends even when consumed");
      assertEquals(11, log.append(records(10, 2)));
      assertEquals(List.of("park-00000000000000000008.log"), segmentNames(dir));
      log.peek(2);
      log.commit(11);
      assertEquals(12, log.append(records(12, 1)));
      assertEquals(List.of("park-00000000000000000012.log"), segmentNames(dir),
          "rolling deletes the consumed segment it leaves");
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertEquals(List.of("12:r12"), show(log.peek(10)));
      assertEquals(13, log.append(records(13, 1)));
    }
  }

  @Test
  void verifiesThatABatchSpanningSegmentsSurvivesAReopenWhole() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 3));
      assertEquals(12, log.append(records(3, 10)));
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      assertTrue(log.recovery().isClean(), log.recovery().toString());
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 13; i++) {
        expected.add(i + ":r" + i);
      }
      assertEquals(expected, show(log.peek(20)));
      assertEquals(4, segmentNames(dir).size());
    }
  }

  @Test
  void verifiesThatOnlyPeekedOffsetsCanBeCommitted() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      log.append(records(0, 5));
      assertThrows(IllegalArgumentException.class, () -> log.commit(0), "nothing peeked yet");
      log.peek(2);
      assertThrows(IllegalArgumentException.class, () -> log.commit(2), "beyond the peek");
      assertThrows(IllegalArgumentException.class, () -> log.commit(Long.MAX_VALUE));
      assertEquals(5, log.pendingRecords(), "a refused commit consumes nothing");

      log.commit(1);
      log.commit(1);
      log.commit(0);
      assertEquals(3, log.pendingRecords(), "committing what is already committed changes nothing");
      assertThrows(IllegalArgumentException.class, () -> log.commit(2), "record 2 was never peeked");
    }
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertThrows(IllegalArgumentException.class, () -> log.commit(2), "a reopened log has peeked nothing");
      assertEquals(List.of("2:r2"), show(log.peek(1)));
      log.commit(2);
      assertEquals(2, log.pendingRecords());
    }
  }

  @Test
  void verifiesThatAnAppendPastTheBoundIsRefusedAndWritesNothing() throws Exception {
    long maxBytes = 100;
    try (ParkLog log = ParkLog.open(dir, maxBytes, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 6));
      assertEquals(96, log.pendingBytes());
      Map<String, String> before = snapshot(dir);

      ParkFullException full = assertThrows(ParkFullException.class, () -> log.append(records(6, 1)));
      assertEquals(16, full.batchBytes());
      assertEquals(96, full.pendingBytes());
      assertEquals(maxBytes, full.maxBytes());
      assertThrows(ParkFullException.class, () -> log.append(List.of(new byte[0])), "even a header is too much");
      assertEquals(before, snapshot(dir));
      assertEquals(6, log.pendingRecords());
      assertEquals(96, log.pendingBytes());

      log.peek(1);
      log.commit(0);
      assertEquals(6, log.append(records(6, 1)), "committing makes room, and a refusal does not break the log");
    }
    try (ParkLog log = ParkLog.open(dir, maxBytes, FOUR_RECORD_SEGMENT)) {
      assertEquals(96, log.pendingBytes());
      assertThrows(ParkFullException.class, () -> log.append(records(7, 1)), "recovered bytes count too");
      assertEquals(List.of("1:r1"), show(log.peek(1)));
    }
  }

  @Test
  void verifiesThatInvalidBatchesAreRefusedAndWriteNothing() throws Exception {
    try (ParkLog log = ParkLog.open(dir, MAX_BYTES, FOUR_RECORD_SEGMENT)) {
      log.append(records(0, 1));
      Map<String, String> before = snapshot(dir);
      assertThrows(IllegalArgumentException.class, () -> log.append(List.of()));
      assertThrows(IllegalArgumentException.class, () -> log.append(List.of(bytes("ok"), new byte[57])),
          "57 bytes plus the header exceed a 64-byte segment");
      assertThrows(IllegalArgumentException.class, () -> log.peek(0));
      assertEquals(before, snapshot(dir));
      assertEquals(1, log.append(List.of(new byte[56])), "56 bytes plus the header fill a segment exactly");
    }
  }

  @Test
  void verifiesThatADirectoryBelongsToOneOpenLogAtATime() throws Exception {
    ParkLog first = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES);
    assertThrows(IOException.class, () -> ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES));
    first.append(records(0, 1));
    first.close();
    first.close();
    assertThrows(IllegalStateException.class, () -> first.peek(1));
    try (ParkLog second = ParkLog.open(dir, MAX_BYTES, SEGMENT_BYTES)) {
      assertEquals(List.of("0:r0"), show(second.peek(1)));
    }
  }

  @Test
  void verifiesThatTheConfigurationIsValidated() {
    assertThrows(IllegalArgumentException.class, () -> ParkLog.open(dir, 0, SEGMENT_BYTES));
    assertThrows(IllegalArgumentException.class, () -> ParkLog.open(dir, MAX_BYTES, 8));
    assertThrows(IllegalArgumentException.class, () -> ParkLog.open(dir, MAX_BYTES, ParkLog.MAX_SEGMENT_BYTES + 1));
  }

  private static int crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return (int) crc.getValue();
  }

  /** {@code count} records "r<i>" padded to 8 bytes, so each takes 16 bytes on disk. */
  static List<byte[]> records(int from, int count) {
    List<byte[]> records = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      byte[] padded = new byte[8];
      byte[] text = bytes("r" + i);
      System.arraycopy(text, 0, padded, 0, text.length);
      records.add(padded);
    }
    return records;
  }
}
