package io.switchboard.bus;

/**
 * Maps conversations to shards ({@link ShardMap} maps shards to owners). {@link String#hashCode()} is specified
 * by the JLS, so every node of a cluster computes the same shard for a conversation.
 */
public final class Shards {

  private Shards() {
  }

  public static int of(String conversationId, int shards) {
    return Math.floorMod(conversationId.hashCode(), shards);
  }
}
