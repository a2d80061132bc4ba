package io.switchboard.dedup;

import org.junit.jupiter.api.Test;

import static io.switchboard.message.DedupVerdict.ACCEPTED;
import static io.switchboard.message.DedupVerdict.DUPLICATE_CONTENT;
import static io.switchboard.message.DedupVerdict.DUPLICATE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DedupWindowTest {

  private static final long HOUR = 3_600_000;
  private static final String ID_1 = "0f8fad5b-d9cb-469f-a165-70867728950e";
  private static final String ID_2 = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
  private static final String ID_3 = "c9bf9e57-1685-4c89-bafb-ff5af830be8a";
  private static final String FP_1 = "5d41402abc4b2a76b9719d911017c592";
  private static final String FP_2 = "7d793037a0760186574b0282f2f435e7";
  private static final String FP_3 = "9e107d9d372bb6826bd81d3542a419d6";

  @Test
  void verifiesThatASecondEventWithTheSameIdIsADuplicateById() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_1, 0));
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_1, FP_2, 10));
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_1, FP_1, 20), "the id is checked before the content");
    assertEquals(1, window.size());
  }

  @Test
  void verifiesThatANewIdWithSeenContentIsADuplicateByContent() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_1, 0));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(ID_2, FP_1, 10));
    assertEquals(1, window.size());
  }

  @Test
  void verifiesThatDuplicatesRememberNothingNew() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    window.checkAndRemember(ID_1, FP_1, 0);
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_1, FP_2, 1));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(ID_2, FP_1, 2));
    assertEquals(ACCEPTED, window.checkAndRemember(ID_3, FP_2, 3), "FP_2 came only with a duplicate id");
    assertEquals(ACCEPTED, window.checkAndRemember(ID_2, FP_3, 4), "ID_2 came only with duplicate content");
    assertEquals(3, window.size());
  }

  @Test
  void verifiesThatEventsWithoutAnIdAreDeduplicatedByContentOnly() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    assertEquals(ACCEPTED, window.checkAndRemember(null, FP_1, 0));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(null, FP_1, 1));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(ID_1, FP_1, 2));
    assertEquals(ACCEPTED, window.checkAndRemember(null, FP_2, 3));
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_3, 4));
    assertEquals(3, window.size());
    assertTrue(window.isConsistent());
  }

  @Test
  void verifiesThatAnEventIsRememberedForTheWholeTtlAndReadmittedAfterIt() {
    DedupWindow window = new DedupWindow(10_000, 100);
    window.checkAndRemember(ID_1, FP_1, 1_000_500);
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_1, FP_2, 1_010_500), "still within the ttl");
    assertEquals(0, window.expire(1_010_500));
    assertEquals(1, window.size());
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_1, 1_012_000), "re-admitted after ttl + 1 s");
    assertEquals(1, window.size());
  }

  @Test
  void verifiesThatExpireDropsOnlyEventsOlderThanTheTtlAndCountsThem() {
    DedupWindow window = new DedupWindow(10_000, 100);
    window.checkAndRemember(ID_1, FP_1, 0);
    window.checkAndRemember(ID_2, FP_2, 5_000);
    window.checkAndRemember(null, FP_3, 9_000);
    assertEquals(0, window.expire(10_999));
    assertEquals(1, window.expire(11_000));
    assertEquals(2, window.size());
    assertEquals(2, window.expire(100_000));
    assertEquals(0, window.size());
    assertTrue(window.isConsistent());
    assertEquals(ACCEPTED, window.checkAndRemember(ID_2, FP_2, 100_001));
  }

  @Test
  void verifiesThatAClockGoingBackwardsNeitherExpiresNorBreaksAnything() {
    DedupWindow window = new DedupWindow(10_000, 100);
    window.checkAndRemember(ID_1, FP_1, 50_000);
    assertEquals(ACCEPTED, window.checkAndRemember(ID_2, FP_2, 20_000));
    assertEquals(0, window.expire(0));
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_2, FP_3, 55_000));
    assertEquals(2, window.expire(61_000));
  }

  @Test
  void verifiesThatTheCountBoundEvictsTheOldestEventFirst() {
    DedupWindow window = new DedupWindow(HOUR, 3, 1);
    for (int i = 0; i < 3; i++) {
      assertEquals(ACCEPTED, window.checkAndRemember(id(i), fingerprint(i), i));
    }
    assertEquals(ACCEPTED, window.checkAndRemember(id(3), fingerprint(3), 3));
    assertEquals(3, window.size());
    assertEquals(1, window.evictions());
    assertEquals(ACCEPTED, window.checkAndRemember(id(0), fingerprint(0), 4), "event 0 was evicted");
    // Re-admitting event 0 evicted event 1, the next oldest.
    assertEquals(ACCEPTED, window.checkAndRemember(null, fingerprint(1), 5));
    assertEquals(DUPLICATE_ID, window.checkAndRemember(id(3), fingerprint(9), 6));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(null, fingerprint(0), 7));
    assertEquals(3, window.evictions());
    assertTrue(window.isConsistent());
  }

  @Test
  void verifiesThatGrowingByDoublingKeepsEveryEventAndStopsAtTheBound() {
    DedupWindow window = new DedupWindow(HOUR, 1000, 1, 42);
    for (int i = 0; i < 1000; i++) {
      assertEquals(ACCEPTED, window.checkAndRemember(id(i), fingerprint(i), i));
    }
    assertEquals(1000, window.capacity());
    assertEquals(DedupWindow.bytesAtCapacity(1000), window.allocatedBytes());
    for (int i = 0; i < 1000; i++) {
      assertEquals(DUPLICATE_ID, window.checkAndRemember(id(i), fingerprint(i + 5000), 2000));
      assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(null, fingerprint(i), 2000));
    }
    assertTrue(window.isConsistent());
    assertEquals(0, window.evictions());
  }

  @Test
  void verifiesThatTheMemoryCostStaysWithinFortyEightBytesPerEvent() {
    assertEquals(46_666_736L, DedupWindow.bytesAtCapacity(1_000_000));
    for (int events : new int[] {1000, 1_000_000, 10_000_000, DedupWindow.MAX_EVENTS}) {
      long arrays = DedupWindow.bytesAtCapacity(events) - 64;
      assertTrue(arrays <= 47L * events, events + " events cost " + arrays + " bytes");
    }
    DedupWindow small = new DedupWindow(HOUR, 1_000_000);
    assertTrue(small.allocatedBytes() < 64 * 1024, "a fresh window starts small: " + small.allocatedBytes());
  }

  @Test
  void verifiesThatIdsThatAreNotUuidsAreRememberedExactly() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    String[] ids = {"", "a", "a\0", "abc", "abcd", "abcde", "urn:genesys:event:12345", "évènement-✓",
        "0f8fad5b-d9cb-469f-a165-70867728950z", "0f8fad5b+d9cb-469f-a165-70867728950e",
        "0f8fad5bd9cb469fa16570867728950e", "0F8FAD5B-D9CB-469F-A165-70867728950EX"};
    for (int i = 0; i < ids.length; i++) {
      assertEquals(ACCEPTED, window.checkAndRemember(ids[i], fingerprint(i), i), ids[i]);
    }
    for (int i = 0; i < ids.length; i++) {
      assertEquals(DUPLICATE_ID, window.checkAndRemember(ids[i], fingerprint(100 + i), 100), ids[i]);
    }
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, fingerprint(200), 200),
        "a valid UUID is not confused with the invalid look-alikes");
  }

  @Test
  void verifiesThatUuidCaseDoesNotMatter() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    window.checkAndRemember(ID_1, FP_1, 0);
    assertEquals(DUPLICATE_ID, window.checkAndRemember(ID_1.toUpperCase(java.util.Locale.ROOT), FP_2, 1));
  }

  @Test
  void verifiesThatFingerprintsAreKeyedByTheirFirstSixtyFourBits() {
    DedupWindow window = new DedupWindow(HOUR, 100);
    window.checkAndRemember(null, "0123456789abcdef0000000000000000", 0);
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(null, "0123456789ABCDEFffffffffffffffff", 1));
    assertEquals(ACCEPTED, window.checkAndRemember(null, "0123456789abcdee0000000000000000", 2));
    assertEquals(ACCEPTED, window.checkAndRemember(null, "not-hex", 3), "malformed fingerprints are hashed");
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(null, "not-hex", 4));
  }

  @Test
  void verifiesThatKeysHashingToZeroAreRememberedLikeAnyOther() {
    // With seed 0 the nil UUID and an all-zero fingerprint prefix both mix to 0, the table's empty marker.
    assertEquals(0, DedupKeys.mix(0));
    DedupWindow window = new DedupWindow(HOUR, 100, 4, 0);
    String nil = "00000000-0000-0000-0000-000000000000";
    String zeroFingerprint = "0000000000000000" + "1234567890abcdef";
    assertEquals(DedupKeys.ID_ZERO, DedupKeys.idKey(nil, 0));
    assertEquals(DedupKeys.FINGERPRINT_ZERO, DedupKeys.fingerprintKey(zeroFingerprint, 0));
    assertEquals(ACCEPTED, window.checkAndRemember(nil, zeroFingerprint, 0));
    assertEquals(DUPLICATE_ID, window.checkAndRemember(nil, FP_1, 1));
    assertEquals(DUPLICATE_CONTENT, window.checkAndRemember(ID_1, "0000000000000000ffffffffffffffff", 2));
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_1, 3), "an absent id is not the zero key");
    assertEquals(ACCEPTED, window.checkAndRemember(null, FP_2, 4));
    assertTrue(window.isConsistent());
    assertEquals(3, window.expire(HOUR + 10_000));
    assertTrue(window.isConsistent());
    assertEquals(ACCEPTED, window.checkAndRemember(nil, zeroFingerprint, HOUR + 10_001));
  }

  @Test
  void verifiesThatAnEventWhoseIdAndFingerprintHashAlikeIsRememberedOnceAndForgottenCleanly() {
    // Seed 0 and a zero UUID low half make the id key mix(msb), equal to the key of a fingerprint msb.
    DedupWindow window = new DedupWindow(10_000, 2, 2, 0);
    String id = "12345678-9abc-def0-0000-000000000000";
    String fingerprint = "123456789abcdef0" + "ffffffffffffffff";
    assertEquals(DedupKeys.idKey(id, 0), DedupKeys.fingerprintKey(fingerprint, 0));
    assertEquals(ACCEPTED, window.checkAndRemember(id, fingerprint, 0));
    assertTrue(window.isConsistent());
    assertEquals(DUPLICATE_ID, window.checkAndRemember(id, FP_1, 1));
    assertEquals(ACCEPTED, window.checkAndRemember(ID_1, FP_1, 2));
    assertEquals(ACCEPTED, window.checkAndRemember(ID_2, FP_2, 3), "evicts the twin-keyed event");
    assertTrue(window.isConsistent());
    assertEquals(ACCEPTED, window.checkAndRemember(null, fingerprint, 4));
  }

  @Test
  void verifiesThatDifferentSeedsGiveDifferentKeys() {
    assertNotEquals(DedupKeys.idKey(ID_1, 1), DedupKeys.idKey(ID_1, 2));
    assertNotEquals(DedupKeys.idKey("abc", 1), DedupKeys.idKey("abc", 2));
    assertNotEquals(DedupKeys.fingerprintKey(FP_1, 1), DedupKeys.fingerprintKey(FP_1, 2));
  }

  @Test
  void verifiesThatInvalidSettingsAndNullFingerprintsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new DedupWindow(0, 10));
    assertThrows(IllegalArgumentException.class, () -> new DedupWindow(HOUR, 0));
    assertThrows(IllegalArgumentException.class, () -> new DedupWindow(HOUR, DedupWindow.MAX_EVENTS + 1));
    assertThrows(IllegalArgumentException.class, () -> new DedupWindow(HOUR, 10, 11));
    DedupWindow window = new DedupWindow(HOUR, 10);
    assertThrows(NullPointerException.class, () -> window.checkAndRemember(ID_1, null, 0));
  }

  static String id(int i) {
    return String.format("%08x-0000-4000-8000-%012x", i, (long) i * 31);
  }

  static String fingerprint(int i) {
    return String.format("%016x%016x", (long) i * 0x9E3779B97F4A7C15L, (long) i);
  }
}
