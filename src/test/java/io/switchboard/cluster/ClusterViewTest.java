package io.switchboard.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterViewTest {

  private static final int SHARDS = 64;

  @Test
  void everyShardHasExactlyOneOwnerAmongTheMembers() {
    ClusterView view = new ClusterView(1, List.of("node-1", "node-2", "node-3"), SHARDS);
    int owned = 0;
    for (String member : view.members()) {
      owned += view.ownedBy(member).size();
    }
    assertEquals(SHARDS, owned);
    for (int shard = 0; shard < SHARDS; shard++) {
      assertTrue(view.members().contains(view.owner(shard)));
    }
  }

  @Test
  void ownershipDoesNotDependOnTheOrderMembersAreListedIn() {
    ClusterView a = new ClusterView(1, List.of("node-3", "node-1", "node-2"), SHARDS);
    ClusterView b = new ClusterView(7, List.of("node-1", "node-2", "node-3"), SHARDS);
    for (int shard = 0; shard < SHARDS; shard++) {
      assertEquals(a.owner(shard), b.owner(shard));
    }
    assertEquals(a.fingerprint(), b.fingerprint());
  }

  @Test
  void aLeavingMemberMovesOnlyItsOwnShards() {
    ClusterView three = new ClusterView(1, List.of("node-1", "node-2", "node-3"), SHARDS);
    ClusterView two = three.next(List.of("node-1", "node-3"));
    for (int shard = 0; shard < SHARDS; shard++) {
      if (!"node-2".equals(three.owner(shard))) {
        assertEquals(three.owner(shard), two.owner(shard), "shard " + shard);
      }
    }
    assertEquals(2, two.epoch());
    assertNotEquals(three.fingerprint(), two.fingerprint());
  }

  @Test
  void aJoiningMemberTakesAFairShareFromEachOther() {
    ClusterView two = new ClusterView(1, List.of("node-1", "node-2"), 256);
    ClusterView three = two.next(List.of("node-1", "node-2", "node-3"));
    Map<String, Integer> moved = new HashMap<>();
    for (int shard = 0; shard < 256; shard++) {
      if (!two.owner(shard).equals(three.owner(shard))) {
        assertEquals("node-3", three.owner(shard));
        moved.merge(two.owner(shard), 1, Integer::sum);
      }
    }
    int taken = three.ownedBy("node-3").size();
    assertTrue(taken > 256 / 3 - 30 && taken < 256 / 3 + 30, "node-3 took " + taken);
    assertEquals(java.util.Set.of("node-1", "node-2"), moved.keySet());
  }

  @Test
  void aViewWithoutMembersOwnsNothing() {
    ClusterView empty = ClusterView.empty(SHARDS);
    assertNull(empty.owner(0));
    assertTrue(empty.ownedBy("node-1").isEmpty());
    assertEquals(SHARDS, ClusterView.single("solo", SHARDS).ownedBy("solo").size());
  }
}
