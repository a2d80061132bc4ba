package io.switchboard.park;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives a log through seeded random appends, peeks, commits, reopens and torn-tail crashes, against a plain
 * in-memory queue, and checks that every record comes out exactly once, in order.
 */
class ParkLogModelTest {

  @TempDir
  Path root;

  @Test
  void verifiesThatEveryRecordComesOutExactlyOnceInOrderAcrossReopens() throws Exception {
    for (long seed = 1; seed <= 5; seed++) {
      run(seed, root.resolve("seed-" + seed), 2_000);
    }
  }

  private static void run(long seed, Path dir, int operations) throws Exception {
    SplittableRandom random = new SplittableRandom(seed);
    long segmentBytes = 48 + random.nextInt(400);
    long maxBytes = 300 + random.nextInt(3_000);
    String context = "seed " + seed + " (segment " + segmentBytes + ", max " + maxBytes + ")";

    ArrayDeque<Parked> pending = new ArrayDeque<>();
    long pendingBytes = 0;
    long nextOffset = 0;
    List<Parked> appended = new ArrayList<>();
    List<Parked> consumed = new ArrayList<>();
    long highestPeeked = -1;
    int refusals = 0;
    int reopens = 0;

    ParkLog log = ParkLog.open(dir, maxBytes, segmentBytes);
    for (int op = 0; op < operations; op++) {
      String at = context + ", op " + op;
      ParkLog current = log;
      int dice = random.nextInt(100);
      if (dice < 40) {
        List<byte[]> batch = new ArrayList<>();
        long batchBytes = 0;
        for (int i = random.nextInt(1, 6); i > 0; i--) {
          byte[] record = record(random, nextOffset + batch.size(), (int) segmentBytes - RecordFormat.HEADER_BYTES);
          batch.add(record);
          batchBytes += RecordFormat.HEADER_BYTES + record.length;
        }
        if (pendingBytes + batchBytes > maxBytes) {
          assertThrows(ParkFullException.class, () -> current.append(batch), at);
          refusals++;
        } else {
          assertEquals(nextOffset + batch.size() - 1, log.append(batch), at);
          for (byte[] record : batch) {
            Parked parked = new Parked(nextOffset++, record);
            pending.addLast(parked);
            appended.add(parked);
          }
          pendingBytes += batchBytes;
        }
      } else if (dice < 72) {
        int max = random.nextInt(1, 9);
        List<Parked> peeked = log.peek(max);
        List<Parked> expected = pending.stream().limit(max).toList();
        assertSame(expected, peeked, at);
        if (!peeked.isEmpty()) {
          highestPeeked = Math.max(highestPeeked, peeked.get(peeked.size() - 1).offset());
        }
      } else if (dice < 92) {
        long firstPending = nextOffset - pending.size();
        if (highestPeeked < firstPending) {
          long notPeeked = firstPending;
          assertThrows(IllegalArgumentException.class, () -> current.commit(notPeeked), at);
        } else {
          long offset = random.nextLong(firstPending, highestPeeked + 1);
          log.commit(offset);
          while (!pending.isEmpty() && pending.peekFirst().offset() <= offset) {
            Parked done = pending.removeFirst();
            pendingBytes -= RecordFormat.HEADER_BYTES + done.payload().length;
            consumed.add(done);
          }
        }
      } else {
        log.close();
        boolean crash = random.nextBoolean() && !ParkFiles.segmentNames(dir).isEmpty();
        if (crash) {
          tearTail(dir, random);
        }
        reopens++;
        ParkLog reopened = ParkLog.open(dir, maxBytes, segmentBytes);
        assertEquals(crash, !reopened.recovery().isClean(), at + ": " + reopened.recovery());
        assertTrue(reopened.recovery().quarantined().isEmpty(), at);
        highestPeeked = -1;
        log = reopened;
      }
      assertEquals(pending.size(), log.pendingRecords(), at);
      assertEquals(pendingBytes, log.pendingBytes(), at);
      assertEquals(pending.isEmpty(), log.isEmpty(), at);
      assertTrue(ParkFiles.segmentBytesOnDisk(dir) <= maxBytes + segmentBytes, at);
    }

    // Drain what is left, then every appended record must have come out once, in order.
    while (!log.isEmpty()) {
      List<Parked> batch = log.peek(7);
      assertSame(pending.stream().limit(7).toList(), batch, context + ", draining");
      log.commit(batch.get(batch.size() - 1).offset());
      for (int i = 0; i < batch.size(); i++) {
        consumed.add(pending.removeFirst());
      }
    }
    log.close();
    assertSame(appended, consumed, context + ", overall");
    assertTrue(appended.size() > operations / 10, context + ": too few appends to mean anything");
    assertTrue(refusals > 0 && reopens > 0, context + ": the run should hit the bound and reopen");
  }

  /** A payload of random length whose first bytes name its offset, so a mix-up is easy to read in a failure. */
  private static byte[] record(SplittableRandom random, long offset, int maxLength) {
    int length = random.nextInt(Math.min(maxLength, 80) + 1);
    byte[] payload = new byte[length];
    random.nextBytes(payload);
    byte[] tag = Long.toString(offset).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, payload, 0, Math.min(tag.length, length));
    return payload;
  }

  /** What a crash in the middle of an unacknowledged append leaves: a record header whose payload never landed. */
  private static void tearTail(Path dir, SplittableRandom random) throws Exception {
    List<String> segments = ParkFiles.segmentNames(dir);
    Path last = dir.resolve(segments.get(segments.size() - 1));
    ByteBuffer torn = ByteBuffer.allocate(RecordFormat.HEADER_BYTES + 3).putInt(1000).putInt(random.nextInt());
    Files.write(last, torn.array(), StandardOpenOption.APPEND);
  }

  private static void assertSame(List<Parked> expected, List<Parked> actual, String at) {
    assertEquals(expected.size(), actual.size(), at + ": record count");
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).offset(), actual.get(i).offset(), at + ": offset at " + i);
      assertArrayEquals(expected.get(i).payload(), actual.get(i).payload(), at + ": payload at " + i);
    }
  }
}
