package io.switchboard.kafka;

import io.switchboard.message.Replay;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verifies that a partition is committable only up to its first record not done, whatever order they finish in. */
class PartitionLedgerTest {

  private final Set<Long> settled = new HashSet<>();

  @Test
  void commitsOnlyUpToTheFirstRecordNotDone() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 100, 100, 100);
    PartitionLedger.Entry a = admitted(ledger, 100, 1);
    PartitionLedger.Entry b = admitted(ledger, 101, 2);
    PartitionLedger.Entry c = admitted(ledger, 105, 3);
    assertEquals(100, ledger.committable(settled::contains));
    settled.add(2L);
    settled.add(3L);
    assertEquals(100, ledger.committable(settled::contains), "record 100 is still on its way");
    settled.add(1L);
    assertEquals(106, ledger.committable(settled::contains), "all done: the next offset to read");
    assertEquals(0, ledger.open());
    assertTrue(a.offset() < b.offset() && b.offset() < c.offset());
  }

  @Test
  void aRecordAwaitingResultsOrARetryIsNotDone() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 0, 0, 0);
    PartitionLedger.Entry entry = ledger.take(0);
    entry.attempt(2);
    assertFalse(entry.resulted(7), "one of two results");
    settled.add(7L);
    assertEquals(0, ledger.committable(settled::contains));
    assertTrue(entry.mustRetry(), "the second result ends the attempt");
    assertTrue(entry.retrying());
    assertEquals(0, ledger.committable(settled::contains), "a retry keeps the record open");
    entry.attempt(2);
    entry.resulted(0);
    entry.resulted(0);
    assertEquals(1, ledger.committable(settled::contains));
  }

  @Test
  void anItemThatSettledAtAdmissionNeedsNoSettlement() {
    PartitionLedger ledger = new PartitionLedger("t", 3, 10, 10, 10);
    ledger.take(10).attempt(1);
    assertEquals(10, ledger.committable(settled::contains));
    PartitionLedger.Entry entry = ledger.take(11);
    entry.attempt(1);
    entry.resulted(0);
    assertEquals(10, ledger.committable(settled::contains), "record 10 has no result yet");
  }

  @Test
  void recordsBeforeTheNotedPositionOnlyRestoreAndThoseUpToTheEndAreRedelivered() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 50, 80, 120);
    assertEquals(Replay.RESTORE_ONLY, ledger.purposeOf(50));
    assertEquals(Replay.RESTORE_ONLY, ledger.purposeOf(79));
    assertEquals(Replay.DELIVER, ledger.purposeOf(80));
    assertEquals(Replay.DELIVER, ledger.purposeOf(119));
    assertEquals(Replay.NONE, ledger.purposeOf(120));
    assertFalse(ledger.caughtUp());
    for (long offset = 50; offset < 120; offset++) {
      ledger.take(offset);
    }
    assertTrue(ledger.caughtUp());
  }

  @Test
  void aNoteBehindTheCommittedOffsetIsIgnored() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 50, 20, 50);
    assertEquals(Replay.NONE, ledger.purposeOf(50));
    assertTrue(ledger.caughtUp());
  }

  @Test
  void checkpointsOnlyMoveForwardAndOffsetsOnlyGrow() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 5, 5, 5);
    ledger.checkpointedAt(9);
    ledger.checkpointedAt(7);
    assertEquals(9, ledger.checkpointed());
    ledger.take(5);
    assertThrows(IllegalArgumentException.class, () -> ledger.take(5));
  }

  @Test
  void cancellingMarksEveryOpenRecord() {
    PartitionLedger ledger = new PartitionLedger("t", 0, 0, 0, 0);
    PartitionLedger.Entry entry = ledger.take(0);
    entry.attempt(1);
    ledger.cancel();
    assertTrue(entry.cancelled());
    assertEquals(0, ledger.open());
  }

  private static PartitionLedger.Entry admitted(PartitionLedger ledger, long offset, long seq) {
    PartitionLedger.Entry entry = ledger.take(offset);
    entry.attempt(1);
    entry.resulted(seq);
    return entry;
  }
}
