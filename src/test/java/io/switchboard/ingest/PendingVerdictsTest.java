package io.switchboard.ingest;

import io.switchboard.message.DedupVerdict;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingVerdictsTest {

  @Test
  void verifiesThatEachVerdictCompletesItsOwnWaitInAnyOrder() {
    PendingVerdicts pending = new PendingVerdicts(1_000);
    Future<DedupVerdict> first = pending.await(1, 0);
    Future<DedupVerdict> second = pending.await(2, 0);
    pending.answer(2, DedupVerdict.DUPLICATE_ID);
    assertFalse(first.isComplete());
    assertEquals(DedupVerdict.DUPLICATE_ID, second.result());
    pending.answer(1, DedupVerdict.ACCEPTED);
    assertEquals(DedupVerdict.ACCEPTED, first.result());
    assertEquals(0, pending.size());
  }

  @Test
  void verifiesThatOnlyWaitsPastTheirDeadlineFailAndALateVerdictIsIgnored() {
    PendingVerdicts pending = new PendingVerdicts(1_000);
    Future<DedupVerdict> old = pending.await(1, 0);
    Future<DedupVerdict> recent = pending.await(2, 600);
    assertEquals(0, pending.expire(999));
    assertEquals(1, pending.expire(1_000));
    assertTrue(old.failed());
    assertEquals("dedup did not answer within 1000 ms", old.cause().getMessage());
    assertFalse(recent.isComplete());
    pending.answer(1, DedupVerdict.ACCEPTED);
    assertTrue(old.failed(), "too late: the source already told its sender to retry");
    assertEquals(1, pending.size());
    assertEquals(1, pending.expire(1_600));
    assertTrue(recent.failed());
  }

  @Test
  void verifiesThatWaitingTwiceForOneEventIsAnError() {
    PendingVerdicts pending = new PendingVerdicts(1_000);
    pending.await(7, 0);
    assertThrows(IllegalStateException.class, () -> pending.await(7, 1));
  }
}
