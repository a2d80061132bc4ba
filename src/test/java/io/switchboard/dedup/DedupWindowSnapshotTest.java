package io.switchboard.dedup;

import io.switchboard.message.DedupVerdict;
import io.switchboard.message.Replay;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DedupWindowSnapshotTest {

  private static final long TTL = 60_000;
  private static final long T0 = 1_700_000_000_000L;

  private static DedupWindow roundTrip(DedupWindow window, int maxEvents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    window.writeTo(new DataOutputStream(bytes));
    return DedupWindow.restore(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())), TTL, maxEvents);
  }

  @Test
  void aRestoredWindowStillKnowsItsEventsAndForgetsThemOnTime() throws IOException {
    DedupWindow window = new DedupWindow(TTL, 100);
    window.checkAndRemember("a", "fa", T0);
    window.checkAndRemember(null, "fb", T0 + 30_000);
    DedupWindow restored = roundTrip(window, 100);
    restored.endReplay();

    assertEquals(2, restored.size());
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("a", "other", T0 + 40_000));
    assertEquals(DedupVerdict.DUPLICATE_CONTENT, restored.checkAndRemember(null, "fb", T0 + 40_000));
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("c", "fc", T0 + 40_000));
    // "a" was first seen at T0: the restore kept its time, so it expires a ttl after that, not after the restore.
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("a", "fa", T0 + TTL + 2_000));
    assertEquals(DedupVerdict.DUPLICATE_CONTENT, restored.checkAndRemember(null, "fb", T0 + TTL + 2_000));
  }

  @Test
  void aReplayedEventRestoredFromTheSnapshotPassesOnceAndLiveCopiesStayDuplicates() throws IOException {
    DedupWindow window = new DedupWindow(TTL, 100);
    window.checkAndRemember("a", "fa", T0);
    window.checkAndRemember("b", "fb", T0);
    DedupWindow restored = roundTrip(window, 100);

    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("a", "fa", T0 + 1_000),
        "a live copy of a remembered event is a duplicate");
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("a", "fa", T0 + 1_000, Replay.DELIVER),
        "its replay may be the only copy that was never delivered");
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("a", "fa", T0 + 1_000, Replay.DELIVER),
        "a second replayed copy is a duplicate");
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("n", "fn", T0 + 1_000, Replay.DELIVER));
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("n", "fn", T0 + 1_000, Replay.DELIVER));

    restored.endReplay();
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("b", "fb", T0 + 1_000, Replay.DELIVER),
        "after the replay a restored event is remembered like any other");
    assertEquals(3, restored.size(), "a, b and n");
    assertEquals(true, restored.isConsistent());
  }

  @Test
  void aSmallerBoundKeepsTheNewestRestoredEvents() throws IOException {
    DedupWindow window = new DedupWindow(TTL, 100);
    for (int i = 0; i < 10; i++) {
      window.checkAndRemember("e" + i, "f" + i, T0 + i);
    }
    DedupWindow restored = roundTrip(window, 4);
    assertEquals(4, restored.size());
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("e6", "f6", T0 + 20));
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("e9", "f9", T0 + 20));
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("e5", "f5", T0 + 20), "the oldest went first");
    assertEquals(true, restored.isConsistent());
  }

  @Test
  void aCopyReplayedOnlyToRestoreStateDoesNotShadowACopyToDeliver() {
    // Two instances journalled one event: one copy settled as a duplicate (restore only), one never delivered.
    DedupWindow window = new DedupWindow(TTL, 100);
    window.beginReplay();
    assertEquals(DedupVerdict.ACCEPTED, window.checkAndRemember("a", "fa", T0, Replay.RESTORE_ONLY));
    assertEquals(DedupVerdict.ACCEPTED, window.checkAndRemember("a", "fa", T0, Replay.DELIVER),
        "the copy to deliver still goes through");
    assertEquals(DedupVerdict.DUPLICATE_ID, window.checkAndRemember("a", "fa", T0, Replay.DELIVER));
    assertEquals(DedupVerdict.DUPLICATE_ID, window.checkAndRemember("a", "fa", T0, Replay.RESTORE_ONLY));
    for (int i = 0; i < 50; i++) {
      window.checkAndRemember("r" + i, "fr" + i, T0, Replay.RESTORE_ONLY);
    }
    assertEquals(DedupVerdict.ACCEPTED, window.checkAndRemember("r7", "fr7", T0, Replay.DELIVER), "the set grows");
    window.endReplay();
    assertEquals(DedupVerdict.DUPLICATE_ID, window.checkAndRemember("r8", "fr8", T0, Replay.DELIVER));
    assertEquals(true, window.isConsistent());
  }

  @Test
  void aCopyReplayedToRestoreStatePassesARestoredKeyAndLeavesItToACopyToDeliver() throws IOException {
    // The dedup snapshot was taken while the event sat between dedup and state: state lacks it, dedup has it.
    DedupWindow window = new DedupWindow(TTL, 100);
    window.checkAndRemember("a", "fa", T0);
    DedupWindow restored = roundTrip(window, 100);
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("a", "fa", T0 + 1, Replay.RESTORE_ONLY),
        "it must reach state to rebuild it");
    assertEquals(DedupVerdict.ACCEPTED, restored.checkAndRemember("a", "fa", T0 + 1, Replay.DELIVER),
        "a copy to deliver still claims it once");
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("a", "fa", T0 + 1, Replay.DELIVER));
    assertEquals(DedupVerdict.DUPLICATE_ID, restored.checkAndRemember("a", "fa", T0 + 1), "live copies stay duplicates");
  }
}
