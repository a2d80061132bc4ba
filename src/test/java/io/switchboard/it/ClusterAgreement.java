package io.switchboard.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/** Whether the {@code cluster} parts of the nodes' {@code /ready} answers show one settled cluster. */
final class ClusterAgreement {

  private ClusterAgreement() {
  }

  /**
   * Every node answered, none is rebalancing, each lists exactly {@code members}, all share one member-set
   * fingerprint, and their owned shards cover 0..shards-1 exactly once.
   */
  static boolean settled(Set<String> members, Collection<JsonObject> views, int shards) {
    Set<String> fingerprints = new HashSet<>();
    int[] owners = new int[shards];
    for (JsonObject view : views) {
      if (view == null || view.getBoolean("rebalancing", true)
          || !members.equals(new TreeSet<>(view.getJsonArray("members", new JsonArray()).getList()))) {
        return false;
      }
      fingerprints.add(view.getString("fingerprint"));
      for (Object shard : view.getJsonArray("owned", new JsonArray())) {
        owners[((Number) shard).intValue()]++;
      }
    }
    for (int count : owners) {
      if (count != 1) {
        return false;
      }
    }
    return fingerprints.size() == 1;
  }
}
