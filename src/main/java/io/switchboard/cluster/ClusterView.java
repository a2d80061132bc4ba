package io.switchboard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One node's view of the cluster: the Switchboard nodes that are members and ready, and which of them owns each
 * shard. Ownership is rendezvous (highest random weight) hashing of the shard over the members: every node computes
 * the same owner from the same member set without asking anyone, and a membership change moves only the shards of
 * the node that came or went (about 1/n of them), which keeps handovers small.
 *
 * <p>Why not Hazelcast's partition table: it moves partitions for the data grid's own reasons (backups, migrations
 * in chunks), and Switchboard's shards must move only through a handover it controls (the old owner stops and ships
 * its state first). The member list is the one thing taken from Hazelcast.
 *
 * <p>{@code epoch} numbers this node's successive views; {@code fingerprint} names the member set, so two nodes can
 * tell whether they agree on it. Immutable.
 */
public record ClusterView(long epoch, List<String> members, int shards) {

  /** The view before a node knows any member (it has not joined yet): nothing is owned. */
  public static ClusterView empty(int shards) {
    return new ClusterView(0, List.of(), shards);
  }

  /** A single unclustered node, owner of every shard. */
  public static ClusterView single(String node, int shards) {
    return new ClusterView(1, List.of(node), shards);
  }

  public ClusterView {
    members = List.copyOf(new TreeSet<>(Objects.requireNonNull(members, "members")));
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, got " + shards);
    }
  }

  /** The next view, with {@code members}. */
  public ClusterView next(java.util.Collection<String> nextMembers) {
    return new ClusterView(epoch + 1, new ArrayList<>(nextMembers), shards);
  }

  /** The owner of {@code shard}, or null when there are no members. */
  public String owner(int shard) {
    String best = null;
    long bestWeight = 0;
    for (String member : members) {
      long weight = weight(member, shard);
      // Ties (practically impossible with 64 bits) go to the smaller name, so every node agrees.
      if (best == null || Long.compareUnsigned(weight, bestWeight) > 0) {
        best = member;
        bestWeight = weight;
      }
    }
    return best;
  }

  /** The owner of something named {@code key} that runs once in the cluster (a singleton source), or null. */
  public String ownerOf(String key) {
    return owner(key.hashCode() & Integer.MAX_VALUE);
  }

  /** The shards {@code node} owns in this view, ascending. */
  public List<Integer> ownedBy(String node) {
    List<Integer> owned = new ArrayList<>();
    for (int shard = 0; shard < shards; shard++) {
      if (node.equals(owner(shard))) {
        owned.add(shard);
      }
    }
    return owned;
  }

  public boolean contains(String node) {
    return members.contains(node);
  }

  /** A name for the member set: equal on two nodes exactly when they agree on the members. */
  public long fingerprint() {
    long h = 0x9E3779B97F4A7C15L;
    for (String member : members) {
      h = mix(h ^ member.hashCode()) + members.size();
    }
    return h;
  }

  /** {@link String#hashCode()} is specified by the JLS, so every JVM computes the same weight. */
  static long weight(String member, int shard) {
    return mix(((long) member.hashCode() << 32) ^ (shard * 0x9E3779B97F4A7C15L) ^ member.length());
  }

  /** The finaliser of MurmurHash3's 64-bit variant: every input bit affects every output bit. */
  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
