package io.switchboard.verticles;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * Which shards one instance of a sharded stage owns. MainVerticle deploys each instance separately with
 * its index in the deployment config, so ownership is decided once, here, and never shared.
 */
public record StageInstance(int index, int instances, int shards) {

  public static final String INDEX = "instanceIndex";
  public static final String INSTANCES = "instances";
  public static final String SHARDS = "shards";

  public static StageInstance from(JsonObject deploymentConfig) {
    return new StageInstance(deploymentConfig.getInteger(INDEX, 0), deploymentConfig.getInteger(INSTANCES, 1),
        deploymentConfig.getInteger(SHARDS, 1));
  }

  public static JsonObject config(int index, int instances, int shards) {
    return new JsonObject().put(INDEX, index).put(INSTANCES, instances).put(SHARDS, shards);
  }

  public List<Integer> ownedShards() {
    List<Integer> owned = new ArrayList<>();
    for (int shard = index; shard < shards; shard += instances) {
      owned.add(shard);
    }
    return owned;
  }
}
