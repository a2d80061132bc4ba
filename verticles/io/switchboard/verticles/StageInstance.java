package io.switchboard.verticles;

import io.vertx.core.json.JsonObject;


/**
 * Which instance of a target's dispatchers a verticle is, on which node. MainVerticle deploys each instance
 * separately with its index in the deployment config.
 */
public record StageInstance(String node, int index, int instances, int shards) {

  public static final String NODE = "node";
  public static final String INDEX = "instanceIndex";
  public static final String INSTANCES = "instances";
  public static final String SHARDS = "shards";

  public static StageInstance from(JsonObject deploymentConfig) {
    return new StageInstance(deploymentConfig.getString(NODE, "local"), deploymentConfig.getInteger(INDEX, 0), deploymentConfig.getInteger(INSTANCES, 1),
        deploymentConfig.getInteger(SHARDS, 1));
  }

  public static JsonObject config(String node, int index, int instances, int shards) {
    return new JsonObject().put(NODE, node).put(INDEX, index).put(INSTANCES, instances).put(SHARDS, shards);
  }
}
