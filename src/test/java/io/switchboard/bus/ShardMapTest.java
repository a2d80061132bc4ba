package io.switchboard.bus;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardMapTest {

  private final ShardMap map = ShardMap.singleNode("node-a", 16, 2, 3, 5);

  @Test
  void everyShardOfEveryStageHasExactlyOneOwningInstance() {
    for (ShardMap.Stage stage : ShardMap.Stage.values()) {
      List<Integer> all = new ArrayList<>();
      for (int instance = 0; instance < map.instances(stage); instance++) {
        for (int shard : map.ownedBy(stage, instance)) {
          assertEquals(new ShardMap.Owner("node-a", instance), map.owner(stage, shard), stage + " shard " + shard);
          all.add(shard);
        }
      }
      all.sort(null);
      assertEquals(java.util.stream.IntStream.range(0, 16).boxed().toList(), all, stage + ": each shard once");
    }
  }

  @Test
  void aConversationMapsToTheSameShardAndAddressEverywhere() {
    ShardMap other = ShardMap.singleNode("node-a", 16, 1, 1, 1);
    String conversation = "890737b5-2d33-4c3d-ae24-e66f93a12d8b";
    assertEquals(map.shardOf(conversation), other.shardOf(conversation), "the shard does not depend on instances");
    assertEquals(Math.floorMod(conversation.hashCode(), 16), map.shardOf(conversation));
    assertEquals(map.addressOf(ShardMap.Stage.DEDUP, conversation),
        map.address(ShardMap.Stage.DEDUP, map.shardOf(conversation)));
  }

  @Test
  void addressesAreScopedByNodeAndStageAndShard() {
    Set<String> addresses = new HashSet<>();
    for (ShardMap.Stage stage : ShardMap.Stage.values()) {
      for (int shard = 0; shard < 16; shard++) {
        String address = map.address(stage, shard);
        assertTrue(address.startsWith("sb.node-a."), address);
        addresses.add(address);
      }
    }
    assertEquals(3 * 16, addresses.size(), "no two owners share an address");
    assertNotEquals(map.address(ShardMap.Stage.DEDUP, 3),
        ShardMap.singleNode("node-b", 16, 2, 3, 5).address(ShardMap.Stage.DEDUP, 3));
  }

  @Test
  void outOfRangeShardsAndInstancesAreErrors() {
    assertThrows(IllegalArgumentException.class, () -> map.owner(ShardMap.Stage.STATE, 16));
    assertThrows(IllegalArgumentException.class, () -> map.ownedBy(ShardMap.Stage.DEDUP, 2));
    assertThrows(IllegalArgumentException.class, () -> ShardMap.singleNode("n", 0, 1, 1, 1));
  }
}
