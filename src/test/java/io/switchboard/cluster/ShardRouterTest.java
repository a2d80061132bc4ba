package io.switchboard.cluster;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ShardRouterTest {

  private record Item(int shard, long seq) implements ShardRouter.Routed {
  }

  private final Map<Integer, String> owners = new HashMap<>();
  private final List<String> sent = new ArrayList<>();
  private final ShardRouter<Item> router = new ShardRouter<>(owners::get,
      (item, node) -> sent.add(item.seq() + "->" + node), 25);

  @Test
  void sendsAtOnceToTheOwner() {
    owners.put(0, "a");
    router.submit(new Item(0, 1), 0);
    router.submit(new Item(0, 2), 0);
    assertEquals(List.of("1->a", "2->a"), sent);
    assertEquals(0, router.waiting());
  }

  @Test
  void holdsEventsWhileNoOwnerIsKnown() {
    router.submit(new Item(0, 1), 0);
    assertEquals(List.of(), sent);
    owners.put(0, "a");
    router.retry(1);
    assertEquals(List.of("1->a"), sent);
  }

  @Test
  void aNewOwnerGetsNothingWhileTheOldOneHasUnansweredEvents() {
    owners.put(0, "a");
    Item first = new Item(0, 1);
    router.submit(first, 0);
    owners.put(0, "b");
    router.submit(new Item(0, 2), 1);
    assertEquals(List.of("1->a"), sent);
    router.answered(first, 2);
    assertEquals(List.of("1->a", "2->b"), sent);
  }

  @Test
  void turnedAwayEventsGoAgainInSequenceOrderAfterTheRetryDelay() {
    owners.put(0, "a");
    Item one = new Item(0, 1);
    Item two = new Item(0, 2);
    router.submit(one, 0);
    router.submit(two, 0);
    owners.put(0, "b");
    router.turnedAway(two, 5);
    router.turnedAway(one, 6);
    router.submit(new Item(0, 3), 7);
    router.retry(10);
    assertEquals(List.of("1->a", "2->a"), sent);
    router.retry(31);
    assertEquals(List.of("1->a", "2->a", "1->b", "2->b", "3->b"), sent);
  }

  @Test
  void otherShardsKeepFlowingWhileOneWaits() {
    owners.put(0, "a");
    owners.put(1, "a");
    Item held = new Item(0, 1);
    router.submit(held, 0);
    router.turnedAway(held, 0);
    router.submit(new Item(1, 2), 1);
    assertEquals(List.of("1->a", "2->a"), sent);
    assertEquals(1, router.waiting());
  }

  @Test
  void aCrashedNodesUnansweredEventsNoLongerHoldTheShard() {
    owners.put(0, "a");
    router.submit(new Item(0, 1), 0);
    owners.put(0, "b");
    router.submit(new Item(0, 2), 1);
    assertEquals(List.of("1->a"), sent);
    router.forget(List.of("a"));
    router.retry(2);
    assertEquals(List.of("1->a", "2->b"), sent);
  }

  @Test
  void retryingManyShardsThatEmptyIsSafe() {
    owners.put(0, "a");
    owners.put(1, "a");
    router.submit(new Item(0, 1), 0);
    router.submit(new Item(1, 2), 0);
    router.forget(List.of("a"));
    // Both lanes are now empty and unanswered-free: retry drops them while it walks them.
    router.retry(1);
    owners.put(0, "b");
    router.submit(new Item(0, 3), 2);
    assertEquals(List.of("1->a", "2->a", "3->b"), sent);
  }

  @Test
  void droppedEventsAreNotSent() {
    router.submit(new Item(0, 1), 0);
    router.submit(new Item(0, 2), 0);
    router.dropIf(item -> item.seq() == 1);
    owners.put(0, "a");
    router.retry(1);
    assertEquals(List.of("2->a"), sent);
    assertEquals(0, router.waiting());
  }
}
