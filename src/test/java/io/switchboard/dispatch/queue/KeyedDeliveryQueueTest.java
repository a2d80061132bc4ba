package io.switchboard.dispatch.queue;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyedDeliveryQueueTest {

  private static <T> Lease<T> lease(KeyedDeliveryQueue<T> queue, long now) {
    Optional<Lease<T>> lease = queue.next(now);
    assertTrue(lease.isPresent(), "expected a lease at " + now);
    return lease.get();
  }

  @Test
  void verifiesThatARetriedItemIsNeverOvertakenByALaterItemOfItsKeyWhileOtherKeysFlow() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 10);
    queue.offer("A", "a1", 0);
    queue.offer("A", "a2", 1);
    List<String> bDelivered = new ArrayList<>();
    long now = 10;
    Lease<String> a1 = lease(queue, now);
    assertEquals("a1", a1.item());
    for (int retry = 1; retry <= 3; retry++) {
      queue.retryAt(a1, now + 100);
      queue.offer("B", "b" + retry, now);
      // Only B may move while a1 waits: a2 must never be leased before a1 has settled.
      for (Lease<String> other; (other = queue.next(now).orElse(null)) != null; ) {
        assertEquals("B", other.key(), "leased " + other.item() + " while a1 waits for its retry");
        bDelivered.add(other.item());
        assertTrue(queue.succeeded(other));
      }
      now += 100;
      a1 = lease(queue, now);
      assertEquals("a1", a1.item());
      assertEquals(retry + 1, a1.attempt());
      assertEquals(10, a1.firstAttemptAt());
    }
    assertTrue(queue.next(now).isEmpty(), "a2 was leased while a1 was in flight");
    assertTrue(queue.succeeded(a1));
    Lease<String> a2 = lease(queue, now);
    assertEquals("a2", a2.item());
    assertEquals(1, a2.attempt());
    assertEquals(List.of("b1", "b2", "b3"), bDelivered);
  }

  @Test
  void verifiesThatExpeditedRetriesBecomeDueAtOnceInOfferOrderAndStillBlockTheirKey() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 10);
    queue.offer("A", "a1", 0);
    queue.offer("B", "b1", 1);
    queue.offer("A", "a2", 2);
    Lease<String> a1 = lease(queue, 10);
    Lease<String> b1 = lease(queue, 10);
    queue.retryAt(a1, 60_000);
    queue.retryAt(b1, 30_000);
    assertTrue(queue.next(20).isEmpty(), "nothing due before the backoff");
    assertEquals(2, queue.expediteRetries(20));
    assertEquals(Long.MAX_VALUE, queue.nextWakeupMillis());
    Lease<String> first = lease(queue, 20);
    Lease<String> second = lease(queue, 20);
    assertEquals(List.of("a1", "b1"), List.of(first.item(), second.item()), "oldest first");
    assertEquals(2, first.attempt());
    assertTrue(queue.next(20).isEmpty(), "a2 still waits behind a1");
    assertEquals(0, queue.expediteRetries(20));
  }

  @Test
  void verifiesThatInFlightNeverExceedsTheConcurrencyLimit() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 3);
    for (int i = 0; i < 10; i++) {
      queue.offer("k" + i, "i" + i, i);
    }
    List<Lease<String>> leased = new ArrayList<>();
    for (Lease<String> l; (l = queue.next(20).orElse(null)) != null; ) {
      leased.add(l);
    }
    assertEquals(3, leased.size());
    assertEquals(3, queue.inFlight());
    assertTrue(queue.drainReady(20, 10).isEmpty());
    assertFalse(queue.hasReady(20));

    queue.succeeded(leased.get(0));
    assertEquals(1, queue.drainReady(20, 10).size());
    queue.retryAt(leased.get(1), 25);
    assertEquals(1, queue.drainReady(20, 10).size(), "a retrying head frees its concurrency slot");
    assertEquals(3, queue.inFlight());
  }

  @Test
  void verifiesThatOfferReturnsFalseAtCapacityAndLeasedItemsCount() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(3, 1);
    assertTrue(queue.offer("A", "a1", 0));
    assertTrue(queue.offer("A", "a2", 0));
    assertTrue(queue.offer("B", "b1", 0));
    assertFalse(queue.offer("C", "c1", 0));
    assertEquals(3, queue.size());

    Lease<String> a1 = lease(queue, 1);
    assertFalse(queue.offer("C", "c1", 1), "a leased item still occupies capacity");
    queue.retryAt(a1, 5);
    assertFalse(queue.offer("C", "c1", 1), "an item waiting for a retry still occupies capacity");
    a1 = lease(queue, 5);
    queue.failedPermanently(a1);
    assertTrue(queue.offer("C", "c1", 6));
    assertEquals(3, queue.size());
  }

  @Test
  void verifiesThatTheOldestReadyKeyHeadIsLeasedFirst() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 1);
    queue.offer("A", "a1", 0);
    queue.offer("A", "a2", 1);
    queue.offer("B", "b1", 2);
    queue.offer("C", "c1", 3);
    queue.offer("B", "b2", 4);
    List<String> order = new ArrayList<>();
    for (Lease<String> l; (l = queue.next(10).orElse(null)) != null; queue.succeeded(l)) {
      order.add(l.item());
    }
    // After a1 settles, a2 (offered at 1) is older than b1 and c1, so A keeps its turn; a busy key is served
    // by offer order, not pushed to the back behind every other key.
    assertEquals(List.of("a1", "a2", "b1", "c1", "b2"), order);
  }

  @Test
  void verifiesThatADueRetryGoesAheadOfYoungerWork() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 1);
    queue.offer("A", "a1", 0);
    Lease<String> a1 = lease(queue, 0);
    queue.retryAt(a1, 50);
    queue.offer("B", "b1", 10);
    queue.offer("C", "c1", 20);
    Lease<String> b1 = lease(queue, 30);
    assertEquals("b1", b1.item());
    queue.succeeded(b1);
    Lease<String> next = lease(queue, 60);
    assertEquals("a1", next.item(), "a1 was offered before c1");
    assertEquals(2, next.attempt());
  }

  @Test
  void verifiesThatARetriedItemIsNotLeasedBeforeItsRetryTime() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(10, 10);
    queue.offer("A", "a1", 100);
    Lease<String> first = lease(queue, 200);
    assertEquals(1, first.attempt());
    assertEquals(200, first.firstAttemptAt());
    assertEquals(100, first.enqueuedAt());
    queue.retryAt(first, 1_000);
    assertEquals(1, queue.waitingForRetry());
    assertEquals(0, queue.inFlight());
    assertTrue(queue.next(999).isEmpty());
    assertFalse(queue.hasReady(999));
    assertTrue(queue.hasReady(1_000));
    Lease<String> second = lease(queue, 1_000);
    assertEquals(2, second.attempt());
    assertEquals(200, second.firstAttemptAt());
    assertEquals(0, queue.waitingForRetry());
    assertEquals(1, queue.inFlight());
  }

  @Test
  void verifiesThatNextWakeupIsTheEarliestRetryTimeAmongBlockedHeads() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(10, 10);
    assertEquals(Long.MAX_VALUE, queue.nextWakeupMillis());
    queue.offer("A", "a1", 0);
    queue.offer("B", "b1", 0);
    queue.offer("C", "c1", 0);
    List<Lease<String>> leases = queue.drainReady(0, 10);
    assertEquals(3, leases.size());
    assertEquals(Long.MAX_VALUE, queue.nextWakeupMillis(), "in-flight items are not timer work");
    queue.retryAt(leases.get(0), 300);
    queue.retryAt(leases.get(1), 100);
    queue.retryAt(leases.get(2), 200);
    assertEquals(100, queue.nextWakeupMillis());
    assertEquals("b1", lease(queue, 150).item());
    assertEquals(200, queue.nextWakeupMillis());
    assertEquals(2, queue.drainReady(300, 10).size());
    assertEquals(Long.MAX_VALUE, queue.nextWakeupMillis());
  }

  @Test
  void verifiesThatABatchHoldsAtMostOneItemPerKeyOldestFirst() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(100, 100);
    queue.offer("A", "a1", 0);
    queue.offer("A", "a2", 0);
    queue.offer("B", "b1", 0);
    queue.offer("A", "a3", 0);
    queue.offer("C", "c1", 0);
    List<Lease<String>> batch = queue.drainReady(0, 2);
    assertEquals(List.of("a1", "b1"), batch.stream().map(Lease::item).toList());
    batch = queue.drainReady(0, 10);
    assertEquals(List.of("c1"), batch.stream().map(Lease::item).toList());
    assertTrue(queue.drainReady(0, 0).isEmpty());
  }

  @Test
  void verifiesThatStaleOrRepeatedSettlementsAreIgnored() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(10, 10);
    queue.offer("A", "a1", 0);
    queue.offer("A", "a2", 0);
    Lease<String> a1 = lease(queue, 0);
    assertTrue(queue.succeeded(a1));
    assertFalse(queue.succeeded(a1), "settling twice must not remove a2");
    assertFalse(queue.retryAt(a1, 5));
    Lease<String> a2 = lease(queue, 0);
    assertFalse(queue.failedPermanently(a1));
    assertEquals(1, queue.inFlight());

    assertEquals(List.of("a2"), queue.drainAll());
    assertFalse(queue.succeeded(a2), "a lease drained at shutdown is stale");
    queue.offer("A", "a3", 1);
    assertFalse(queue.succeeded(a2), "a new lane for the same key does not accept old leases");
    assertEquals(0, queue.inFlight());
    assertEquals(1, queue.size());
  }

  @Test
  void verifiesThatDrainAllReturnsEverythingInOfferOrderAndEmptiesTheQueue() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(10, 10);
    queue.offer("A", "a1", 0);
    queue.offer("B", "b1", 1);
    queue.offer("A", "a2", 2);
    queue.offer("C", "c1", 3);
    Lease<String> a1 = lease(queue, 5);
    Lease<String> b1 = lease(queue, 5);
    queue.retryAt(b1, 100);
    queue.succeeded(a1);
    assertEquals(List.of("b1", "a2", "c1"), queue.drainAll());
    assertEquals(0, queue.size());
    assertEquals(0, queue.keys());
    assertEquals(0, queue.waitingForRetry());
    assertEquals(Long.MAX_VALUE, queue.nextWakeupMillis());
    assertTrue(queue.next(1_000).isEmpty());
  }

  @Test
  void verifiesThatIntrospectionTracksKeysAndTheOldestItem() {
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(10, 2);
    assertEquals(OptionalLong.empty(), queue.oldestEnqueuedAt());
    queue.offer("A", "a1", 100);
    queue.offer("B", "b1", 200);
    queue.offer("A", "a2", 300);
    assertEquals(3, queue.size());
    assertEquals(2, queue.keys());
    assertEquals(OptionalLong.of(100), queue.oldestEnqueuedAt());
    assertEquals(10, queue.capacity());
    assertEquals(2, queue.maxInFlight());

    queue.succeeded(lease(queue, 400));
    assertEquals(OptionalLong.of(200), queue.oldestEnqueuedAt());
    Lease<String> b1 = lease(queue, 400);
    queue.succeeded(b1);
    assertEquals(1, queue.keys(), "an emptied key is forgotten");
    assertEquals(OptionalLong.of(300), queue.oldestEnqueuedAt());
    queue.succeeded(lease(queue, 400));
    assertEquals(0, queue.keys());
    assertEquals(OptionalLong.empty(), queue.oldestEnqueuedAt());
  }

  @Test
  void verifiesThatInvalidArgumentsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new KeyedDeliveryQueue<String>(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new KeyedDeliveryQueue<String>(1, 0));
    KeyedDeliveryQueue<String> queue = new KeyedDeliveryQueue<>(1, 1);
    assertThrows(NullPointerException.class, () -> queue.offer(null, "x", 0));
    assertThrows(NullPointerException.class, () -> queue.offer("k", null, 0));
    assertThrows(NullPointerException.class, () -> queue.succeeded(null));
  }
}
