package io.switchboard.genesys;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class PollWindowsTest {

  private static final long T0 = 1_741_701_600_000L;

  @Test
  void verifiesThatWindowsOverlapAndBecomeDueLagBehindNow() {
    PollWindows windows = new PollWindows(T0, 60_000, 30_000, 120_000);
    assertNull(windows.take(T0 + 179_999, 1));
    PollWindows.Window first = windows.take(T0 + 180_000, 1);
    assertEquals(T0, first.start());
    assertEquals(T0 + 60_000, first.end());
    assertNull(windows.take(T0 + 10_000_000, 1), "one in flight at a time");
    windows.admitted(first);
    PollWindows.Window second = windows.take(T0 + 10_000_000, 1);
    assertEquals(T0 + 30_000, second.start());
    assertEquals(T0 + 90_000, second.end());
  }

  @Test
  void verifiesThatTheCheckpointNeverPassesAnUnsettledWindow() {
    PollWindows windows = new PollWindows(T0, 60_000, 30_000, 0);
    Set<Long> settled = new HashSet<>();
    PollWindows.Window a = windows.take(T0 + 60_000, 3);
    PollWindows.Window b = windows.take(T0 + 90_000, 3);
    a.admitted(1);
    a.admitted(2);
    b.admitted(3);
    windows.admitted(b);
    settled.add(3L);
    assertEquals(T0, windows.checkpointable(settled::contains), "a still being queried");
    windows.admitted(a);
    settled.add(2L);
    assertEquals(T0, windows.checkpointable(settled::contains), "event 1 of a unsettled");
    settled.add(1L);
    assertEquals(b.end() - 30_000, windows.checkpointable(settled::contains));
    windows.checkpointed(b.end() - 30_000);
    assertEquals(0, windows.open());
    assertEquals(b.end(), windows.completedThrough());
  }

  @Test
  void verifiesThatAFailedWindowIsAskedAgainAndKeepsLaterPagesWaiting() {
    PollWindows windows = new PollWindows(T0, 60_000, 30_000, 0);
    PollWindows.Window a = windows.take(T0 + 60_000, 2);
    PollWindows.Window b = windows.take(T0 + 90_000, 2);
    assertSame(a, windows.head());
    windows.failed(a, T0 + 100_000);
    assertNull(windows.head(), "b waits for a, so pages stay in window order");
    assertNull(windows.take(T0 + 99_999, 2));
    assertSame(a, windows.take(T0 + 100_000, 2));
    assertEquals(2, a.attempts());
    assertSame(a, windows.head());
    windows.admitted(a);
    assertSame(b, windows.head());
  }
}
