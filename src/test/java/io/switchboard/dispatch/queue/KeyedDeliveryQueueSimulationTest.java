package io.switchboard.dispatch.queue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives the queue with random offers, leases, outcomes and clock steps, and checks every step against a
 * plain model that scans everything: the model is slow but obviously right, the queue must agree with it.
 */
class KeyedDeliveryQueueSimulationTest {

  private static final int KEYS = 40;
  private static final int CAPACITY = 150;
  private static final int MAX_IN_FLIGHT = 6;
  private static final int STEPS = 30_000;

  /** What the model knows about one key. Items are global offer numbers, so they also give offer order. */
  private static final class KeyModel {
    final ArrayDeque<Integer> pending = new ArrayDeque<>();
    final List<Integer> offered = new ArrayList<>();
    final List<Integer> completed = new ArrayList<>();
    boolean leased;
    Long retryAt;
    int attempts;
  }

  private final Map<String, KeyModel> model = new HashMap<>();
  private final List<Lease<Integer>> outstanding = new ArrayList<>();
  private final Set<Integer> completedOnce = new HashSet<>();
  private KeyedDeliveryQueue<Integer> queue;
  private Random random;
  private long now;
  private int nextItem;
  private int held;
  private long seed;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 7, 42, 1_234_567, 20_260_101})
  void verifiesThatEveryKeyCompletesInOfferOrderExactlyOnceUnderRandomOutcomes(long seed) {
    this.seed = seed;
    queue = new KeyedDeliveryQueue<>(CAPACITY, MAX_IN_FLIGHT);
    random = new Random(seed);
    for (int step = 0; step < STEPS; step++) {
      int action = random.nextInt(100);
      if (action < 35) {
        offer();
      } else if (action < 55) {
        leaseOne();
      } else if (action < 62) {
        leaseBatch(1 + random.nextInt(4));
      } else if (action < 90) {
        settleRandom(0.55, 0.35);
      } else if (action < 92) {
        settleStale();
      } else {
        now += random.nextInt(60);
      }
      checkCounters();
    }
    // Wind down: no new offers, outcomes biased to success so every item eventually completes.
    for (int guard = 0; held > 0; guard++) {
      assertTrue(guard < 1_000_000, () -> "seed " + seed + ": queue did not drain");
      if (!outstanding.isEmpty() && (random.nextBoolean() || !queue.hasReady(now))) {
        settleRandom(0.8, 0.15);
      } else if (!leaseOne() && outstanding.isEmpty()) {
        long wakeup = queue.nextWakeupMillis();
        assertTrue(wakeup != Long.MAX_VALUE, () -> "seed " + seed + ": items held but nothing to wait for");
        now = Math.max(now, wakeup);
      }
      checkCounters();
    }
    for (Map.Entry<String, KeyModel> entry : model.entrySet()) {
      assertEquals(entry.getValue().offered, entry.getValue().completed,
          "seed " + seed + ": key " + entry.getKey() + " completed out of order or incompletely");
    }
    assertEquals(nextItem, completedOnce.size());
    assertEquals(0, queue.keys());
  }

  private void offer() {
    String key = "conv-" + random.nextInt(KEYS);
    int item = nextItem;
    boolean accepted = queue.offer(key, item, now);
    assertEquals(held < CAPACITY, accepted, () -> "seed " + seed + ": offer at size " + held);
    if (accepted) {
      nextItem++;
      held++;
      KeyModel keyModel = model.computeIfAbsent(key, k -> new KeyModel());
      keyModel.pending.add(item);
      keyModel.offered.add(item);
    }
  }

  private boolean leaseOne() {
    String expected = expectedNextKey();
    Optional<Lease<Integer>> lease = queue.next(now);
    if (expected == null) {
      assertTrue(lease.isEmpty(), () -> "seed " + seed + ": leased " + lease.get() + " though nothing was eligible");
      return false;
    }
    assertTrue(lease.isPresent(), () -> "seed " + seed + ": key " + expected + " was eligible but nothing leased");
    accept(expected, lease.get());
    return true;
  }

  private void leaseBatch(int max) {
    List<Lease<Integer>> batch = queue.drainReady(now, max);
    assertTrue(batch.size() <= max);
    for (Lease<Integer> lease : batch) {
      String expected = expectedNextKey();
      assertTrue(expected != null, () -> "seed " + seed + ": batch leased " + lease + " though nothing was eligible");
      accept(expected, lease);
    }
    if (batch.size() < max) {
      assertEquals(null, expectedNextKey(), () -> "seed " + seed + ": batch stopped short of eligible work");
    }
  }

  /** The key the queue must lease next: eligible now, and with the earliest-offered head. */
  private String expectedNextKey() {
    if (outstanding.size() >= MAX_IN_FLIGHT) {
      return null;
    }
    String best = null;
    int bestHead = Integer.MAX_VALUE;
    for (Map.Entry<String, KeyModel> entry : model.entrySet()) {
      KeyModel keyModel = entry.getValue();
      boolean eligible = !keyModel.pending.isEmpty() && !keyModel.leased
          && (keyModel.retryAt == null || keyModel.retryAt <= now);
      if (eligible && keyModel.pending.peek() < bestHead) {
        bestHead = keyModel.pending.peek();
        best = entry.getKey();
      }
    }
    return best;
  }

  private void accept(String expectedKey, Lease<Integer> lease) {
    KeyModel keyModel = model.get(expectedKey);
    assertEquals(expectedKey, lease.key(), () -> "seed " + seed + ": not the oldest ready key head");
    assertEquals(keyModel.pending.peek(), lease.item(), () -> "seed " + seed + ": overtook the head of its key");
    assertFalse(keyModel.leased);
    keyModel.attempts++;
    assertEquals(keyModel.attempts, lease.attempt());
    keyModel.leased = true;
    keyModel.retryAt = null;
    outstanding.add(lease);
    assertTrue(outstanding.size() <= MAX_IN_FLIGHT, () -> "seed " + seed + ": concurrency cap exceeded");
  }

  private void settleRandom(double success, double retry) {
    if (outstanding.isEmpty()) {
      return;
    }
    Lease<Integer> lease = outstanding.remove(random.nextInt(outstanding.size()));
    KeyModel keyModel = model.get(lease.key());
    keyModel.leased = false;
    double outcome = random.nextDouble();
    if (outcome < retry) {
      // Sometimes in the past: a retry that is due at once must still wait for its turn, not jump the queue.
      long at = now + random.nextInt(250) - 20;
      assertTrue(queue.retryAt(lease, at));
      keyModel.retryAt = at;
      return;
    }
    assertTrue(outcome < retry + success ? queue.succeeded(lease) : queue.failedPermanently(lease));
    int item = keyModel.pending.poll();
    assertEquals(item, lease.item());
    assertTrue(completedOnce.add(item), () -> "seed " + seed + ": item " + item + " completed twice");
    keyModel.completed.add(item);
    keyModel.attempts = 0;
    held--;
  }

  /** Re-settles a lease the model already settled; the queue must refuse it and change nothing. */
  private void settleStale() {
    if (outstanding.isEmpty()) {
      return;
    }
    Lease<Integer> lease = outstanding.get(random.nextInt(outstanding.size()));
    Lease<Integer> stale = new Lease<>(lease.key(), lease.item(), lease.attempt(), lease.firstAttemptAt(),
        lease.enqueuedAt());
    assertFalse(queue.succeeded(stale), "an equal-looking lease is not the issued one");
    assertFalse(queue.retryAt(stale, now));
  }

  private void checkCounters() {
    assertEquals(held, queue.size());
    assertEquals(outstanding.size(), queue.inFlight());
    long retrying = model.values().stream().filter(k -> k.retryAt != null).count();
    assertEquals(retrying, queue.waitingForRetry());
    // Due retries may already have been moved to the ready side, so the queue's wakeup is the earliest retry
    // time of some waiting key, and never later than the earliest one still in the future.
    long wakeup = queue.nextWakeupMillis();
    long earliestFuture = model.values().stream().filter(k -> k.retryAt != null && k.retryAt > now)
        .mapToLong(k -> k.retryAt).min().orElse(Long.MAX_VALUE);
    assertTrue(wakeup <= earliestFuture, () -> "seed " + seed + ": wakeup " + wakeup + " misses " + earliestFuture);
    assertTrue(wakeup == Long.MAX_VALUE
            || model.values().stream().anyMatch(k -> k.retryAt != null && k.retryAt == wakeup),
        () -> "seed " + seed + ": wakeup " + wakeup + " belongs to no waiting key");
    assertEquals(model.values().stream().filter(k -> !k.pending.isEmpty()).count(), queue.keys());
  }

  @Test
  @Timeout(10)
  void verifiesThatLeasingDoesNotScanKeysThatAreBlocked() {
    int blocked = 50_000;
    KeyedDeliveryQueue<Integer> big = new KeyedDeliveryQueue<>(blocked + 10, blocked + 10);
    for (int i = 0; i < blocked; i++) {
      big.offer("blocked-" + i, i, 0);
    }
    for (Lease<Integer> lease : big.drainReady(0, blocked)) {
      big.retryAt(lease, Long.MAX_VALUE);
    }
    // A scanning implementation would visit 50k blocked keys per operation: 2.5e9 visits, far past the timeout.
    for (int i = 0; i < blocked; i++) {
      big.offer("hot", i, 1);
      Lease<Integer> lease = big.next(1).orElseThrow(() -> new AssertionError("hot key not leased"));
      if (!big.succeeded(lease)) {
        fail("settlement refused");
      }
    }
    assertEquals(blocked, big.waitingForRetry());
  }
}
