package io.switchboard.bus;

/**
 * Maps conversations to shards and shards to verticle instances. {@link String#hashCode()} is specified
 * by the JLS, so every node of a cluster computes the same shard for a conversation.
 */
public final class Shards {

  private Shards() {
  }

  public static int of(String conversationId, int shards) {
    return Math.floorMod(conversationId.hashCode(), shards);
  }

  /** Instance {@code index} of {@code instances} owns shard {@code shard}: round-robin by shard number. */
  public static boolean owns(int index, int instances, int shard) {
    return shard % instances == index;
  }
}
