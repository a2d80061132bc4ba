package io.switchboard.dedup;

import io.switchboard.message.DedupVerdict;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks the primitive structures against plain {@code java.util} models under seeded random churn. */
class DedupWindowModelTest {

  @Test
  void verifiesThatTheWindowAgreesWithAHashMapModelUnderHeavyChurn() {
    for (long seed : new long[] {1, 2, 3}) {
      SplittableRandom random = new SplittableRandom(seed);
      String[] ids = new String[4000];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = random.nextInt(4) == 0 ? "msg-" + random.nextInt(1 << 20) + "-" + i : uuid(random);
      }
      String[] fingerprints = new String[4000];
      for (int i = 0; i < fingerprints.length; i++) {
        fingerprints[i] = String.format("%016x%016x", random.nextLong(), random.nextLong());
      }
      long ttl = 30_000;
      int maxEvents = 1000;
      DedupWindow window = new DedupWindow(ttl, maxEvents, 1, random.nextLong());
      Model model = new Model(ttl, maxEvents);
      long now = 1_700_000_000_000L;
      int accepted = 0;
      int duplicates = 0;
      for (int op = 0; op < 200_000; op++) {
        // Alternate bursts (the count bound evicts) with quiet spells (the ttl expires).
        now += random.nextInt(op % 20_000 < 10_000 ? 21 : 101);
        if (random.nextInt(100) == 0) {
          assertEquals(model.expire(now), window.expire(now), "expire at op " + op);
        } else {
          String id = random.nextInt(5) == 0 ? null : ids[random.nextInt(ids.length)];
          String fingerprint = fingerprints[random.nextInt(fingerprints.length)];
          DedupVerdict expected = model.checkAndRemember(id, fingerprint, now);
          assertEquals(expected, window.checkAndRemember(id, fingerprint, now), "op " + op);
          if (expected == DedupVerdict.ACCEPTED) {
            accepted++;
          } else {
            duplicates++;
          }
        }
        assertEquals(model.size(), window.size());
        if (op % 997 == 0) {
          assertTrue(window.isConsistent(), "consistent at op " + op);
        }
      }
      assertTrue(window.isConsistent());
      assertEquals(model.evictions, window.evictions());
      assertTrue(accepted > 50_000 && duplicates > 50_000 && model.evictions > 1000 && model.expired > 1000,
          "the workload exercises every path: " + accepted + "/" + duplicates + "/" + model.evictions + "/"
              + model.expired);
    }
  }

  @Test
  void verifiesThatBackwardShiftDeletionKeepsEveryKeyReachableInClusteredAndWrappingRuns() {
    SplittableRandom random = new SplittableRandom(7);
    int capacity = 37;
    LongOpenHashSet set = new LongOpenHashSet(capacity);
    Set<Long> model = new HashSet<>();
    long[] pool = new long[80];
    for (int i = 0; i < pool.length; i++) {
      // High halves from the last few and the first few homes, so runs pile up and wrap around the end.
      long high = random.nextBoolean() ? 0xFFFF_FFFFL - random.nextInt(1 << 28) : random.nextInt(1 << 28);
      pool[i] = high << 32 | (random.nextInt() & 0xFFFF_FFFFL) | 1;
    }
    for (int op = 0; op < 200_000; op++) {
      long key = pool[random.nextInt(pool.length)];
      if (random.nextBoolean() && model.size() < capacity - 1) {
        assertEquals(model.add(key), set.add(key));
      } else {
        assertEquals(model.remove(key), set.remove(key));
      }
      assertEquals(model.size(), set.size());
      assertTrue(set.isConsistent(), "op " + op);
      long probe = pool[random.nextInt(pool.length)];
      assertEquals(model.contains(probe), set.contains(probe));
    }
  }

  private static String uuid(SplittableRandom random) {
    return String.format("%08x-%04x-%04x-%04x-%012x", random.nextInt() & 0xFFFF_FFFFL, random.nextInt(1 << 16),
        random.nextInt(1 << 16), random.nextInt(1 << 16), random.nextLong() & 0xFFFF_FFFF_FFFFL);
  }

  /** The specification in java.util terms: a FIFO of events with second timestamps, maps of live keys. */
  private static final class Model {
    private final long ttlSeconds;
    private final int maxEvents;
    private final ArrayDeque<Object[]> fifo = new ArrayDeque<>();
    private final Map<String, Boolean> ids = new HashMap<>();
    private final Map<String, Boolean> fingerprints = new HashMap<>();
    private long base = Long.MIN_VALUE;
    private long lastSecond;
    long evictions;
    long expired;

    Model(long ttlMillis, int maxEvents) {
      this.ttlSeconds = (ttlMillis + 999) / 1000;
      this.maxEvents = maxEvents;
    }

    DedupVerdict checkAndRemember(String id, String fingerprint, long now) {
      long second = second(now);
      expireAt(second);
      String idKey = id == null ? null : id.toLowerCase(Locale.ROOT);
      String fingerprintKey = fingerprint.substring(0, 16).toLowerCase(Locale.ROOT);
      if (idKey != null && ids.containsKey(idKey)) {
        return DedupVerdict.DUPLICATE_ID;
      }
      if (fingerprints.containsKey(fingerprintKey)) {
        return DedupVerdict.DUPLICATE_CONTENT;
      }
      if (fifo.size() == maxEvents) {
        removeOldest();
        evictions++;
      }
      fifo.addLast(new Object[] {idKey, fingerprintKey, second});
      if (idKey != null) {
        ids.put(idKey, Boolean.TRUE);
      }
      fingerprints.put(fingerprintKey, Boolean.TRUE);
      return DedupVerdict.ACCEPTED;
    }

    int expire(long now) {
      return expireAt(second(now));
    }

    int size() {
      return fifo.size();
    }

    private int expireAt(long second) {
      int n = 0;
      while (!fifo.isEmpty() && second - (long) fifo.peekFirst()[2] > ttlSeconds) {
        removeOldest();
        n++;
      }
      expired += n;
      return n;
    }

    private void removeOldest() {
      Object[] oldest = fifo.removeFirst();
      if (oldest[0] != null) {
        ids.remove(oldest[0]);
      }
      fingerprints.remove(oldest[1]);
    }

    private long second(long now) {
      if (base == Long.MIN_VALUE) {
        base = now;
      }
      lastSecond = Math.max(lastSecond, Math.floorDiv(now - base, 1000L));
      return lastSecond;
    }
  }
}
