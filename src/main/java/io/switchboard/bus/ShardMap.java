package io.switchboard.bus;

import io.switchboard.cluster.ClusterView;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who owns what: which shard a conversation belongs to, and which instance on which node owns shard N of each
 * per-conversation stage. Every sender resolves the owner here and sends to that owner's own address, so each
 * shard has exactly one owner and each conversation one dedup window, one reorder buffer and one state.
 *
 * <p>Which node owns a shard is the current {@link ClusterView} (rendezvous hashing over the members): a single
 * unclustered node owns them all; clustered, the view changes with membership and a shard moves only through a
 * handover. On every node each stage spreads all shards round-robin over its instances, so the instance that serves
 * a shard is the same wherever it is owned. The rest of the code asks this class and never computes ownership.
 * The view is replaced whole (an immutable value behind a volatile reference) by the node's cluster verticle and only
 * read elsewhere.
 */
public final class ShardMap {

  /** The stages whose state is partitioned by conversation. */
  public enum Stage { DEDUP, REORDER, STATE }

  /** One owner: an instance of a stage on a node. */
  public record Owner(String node, int instance) {
  }

  private final String node;
  private final int shards;
  private final Map<Stage, Integer> instances;
  private final boolean clustered;
  private volatile ClusterView view;

  private ShardMap(String node, int shards, Map<Stage, Integer> instances, boolean clustered) {
    this.clustered = clustered;
    this.view = clustered ? ClusterView.empty(shards) : ClusterView.single(node, shards);
    this.node = Objects.requireNonNull(node, "node");
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
    this.shards = shards;
    this.instances = new EnumMap<>(instances);
    for (Stage stage : Stage.values()) {
      int count = this.instances.getOrDefault(stage, 0);
      if (count < 1) {
        throw new IllegalArgumentException(stage + " needs at least one instance, got " + count);
      }
    }
  }

  /** Every shard on {@code node}, spread over each stage's instances by shard number. */
  public static ShardMap singleNode(String node, int shards, int dedupInstances, int reorderInstances,
                                    int stateInstances) {
    return new ShardMap(node, shards, Map.of(Stage.DEDUP, dedupInstances, Stage.REORDER, reorderInstances,
        Stage.STATE, stateInstances), false);
  }

  /** A node of a cluster: it owns nothing until the cluster verticle sets the first view with it. */
  public static ShardMap clustered(String node, int shards, int dedupInstances, int reorderInstances,
                                   int stateInstances) {
    return new ShardMap(node, shards, Map.of(Stage.DEDUP, dedupInstances, Stage.REORDER, reorderInstances,
        Stage.STATE, stateInstances), true);
  }

  public boolean clustered() {
    return clustered;
  }

  /** The current view of the cluster (a single node's own when unclustered). */
  public ClusterView view() {
    return view;
  }

  /** Replaces the view; the node's cluster verticle alone calls this. */
  public void view(ClusterView next) {
    this.view = Objects.requireNonNull(next, "next");
  }

  /** The node owning {@code shard} in the current view, or null while no member is known. */
  public String ownerNode(int shard) {
    checkShard(shard);
    return view.owner(shard);
  }

  /** Where the owner of {@code shard} of {@code stage} on {@code node} takes events. */
  public String addressOn(String owner, Stage stage, int shard) {
    checkShard(shard);
    return Addresses.shard(owner, stage, shard);
  }

  /** The node this map was built on. */
  public String localNode() {
    return node;
  }

  public int shards() {
    return shards;
  }

  public int instances(Stage stage) {
    return instances.get(stage);
  }

  /** The shard of a conversation: {@link String#hashCode()} is specified by the JLS, so every node agrees. */
  public int shardOf(String conversationId) {
    return Shards.of(conversationId, shards);
  }

  public Owner owner(Stage stage, int shard) {
    checkShard(shard);
    return new Owner(node, shard % instances.get(stage));
  }

  /**
   * This node's address for {@code shard} of {@code stage}: where its instance consumes, and where node-local hops
   * send. For the owner's address in a cluster, see {@link #addressOn}.
   */
  public String address(Stage stage, int shard) {
    checkShard(shard);
    return Addresses.shard(node, stage, shard);
  }

  /** This node's address for {@code conversationId}'s shard of {@code stage} (the owner's, unclustered). */
  public String addressOf(Stage stage, String conversationId) {
    return address(stage, shardOf(conversationId));
  }

  /** The shards instance {@code instance} of {@code stage} owns on this node, ascending. */
  public List<Integer> ownedBy(Stage stage, int instance) {
    int count = instances.get(stage);
    if (instance < 0 || instance >= count) {
      throw new IllegalArgumentException(stage + " has instances 0.." + (count - 1) + ", not " + instance);
    }
    List<Integer> owned = new ArrayList<>();
    for (int shard = instance; shard < shards; shard += count) {
      owned.add(shard);
    }
    return owned;
  }

  private void checkShard(int shard) {
    if (shard < 0 || shard >= shards) {
      throw new IllegalArgumentException("shard " + shard + " is outside 0.." + (shards - 1));
    }
  }
}
