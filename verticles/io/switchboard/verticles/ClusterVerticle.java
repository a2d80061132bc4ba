package io.switchboard.verticles;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import io.switchboard.bus.Addresses;
import io.switchboard.bus.FailureCodes;
import io.switchboard.bus.ShardMap;
import io.switchboard.cluster.ClusterView;
import io.switchboard.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * This node's part of the cluster: who the members are, which shards are this node's, and the handovers.
 *
 * <p><b>Members.</b> A node is a member of the view once it is ready to own shards: it puts its node id (with its
 * Hazelcast member id) in the {@value #MEMBERS} map after its stages are up, and removes it when it drains. The view
 * is the ready nodes that are also live Hazelcast members; it changes when one joins, leaves or is declared dead.
 * A node that disappears from the cluster while still in the map crashed: the sources send again what it had
 * accepted (see {@code BusPipeline}).
 *
 * <p><b>Ownership.</b> On each new view, per shard: one this node has open and the view gives to another goes to
 * that node ({@link ShardHandover#export}, then the package to the node's inbox); one the view gives to this node
 * opens at once when nobody had it (the cluster is starting: from this node's own snapshot) or its previous owner is
 * no longer a live member (a crash: empty), and otherwise waits for the previous owner's package, at most
 * {@code handoverTimeoutMs}. A shard is open on at most one node at a time because a live owner closes it before
 * anyone opens it; the one exception is a node wrongly declared dead (a long pause), which this design does not
 * fence. State is owned by this verticle's event loop only; Hazelcast's callbacks hop onto it.
 */
public final class ClusterVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterVerticle.class);
  static final String MEMBERS = "switchboard.members";
  private static final String NODE_ATTRIBUTE = "switchboard.node";
  private static final long RETRY_MILLIS = 500;

  private final ShardMap shardMap;
  private final List<TargetConfig> targets;
  private final long handoverTimeoutMillis;
  private final String node;
  private HazelcastInstance hazelcast;
  private IMap<String, String> members;
  private ShardHandover handover;
  private UUID membershipListener;
  private UUID entryListener;
  private boolean joined;
  private final Set<Integer> open = new TreeSet<>();
  /** Shards this node owns and waits for: shard → timer that opens it anyway. */
  private final Map<Integer, Long> awaiting = new HashMap<>();
  /** Shards being opened or installed here: open once that completes. */
  private final Set<Integer> opening = new TreeSet<>();
  /** Shards being exported or whose package is on its way. */
  private final Set<Integer> leaving = new TreeSet<>();
  private final Set<String> crashedEver = new TreeSet<>();
  private Promise<Void> settledAfterJoin;
  private Promise<Void> settledAfterLeave;
  private long lastChange = System.currentTimeMillis();

  public ClusterVerticle(ShardMap shardMap, List<TargetConfig> targets, long handoverTimeoutMillis) {
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.targets = List.copyOf(targets);
    this.handoverTimeoutMillis = handoverTimeoutMillis;
    this.node = shardMap.localNode();
  }

  @Override
  public Future<?> start() {
    hazelcast = ((HazelcastClusterManager) ((VertxInternal) vertx).clusterManager()).getHazelcastInstance();
    members = hazelcast.getMap(MEMBERS);
    handover = new ShardHandover(vertx, node, targets, handoverTimeoutMillis);
    membershipListener = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        context.runOnContext(v -> refresh());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.info("cluster member [{}] ({}) left the cluster", event.getMember().getAttribute(NODE_ATTRIBUTE),
            event.getMember().getUuid());
        context.runOnContext(v -> refresh());
      }
    });
    return vertx.<UUID>executeBlocking(() -> members.addEntryListener(new ReadyListener(), false))
        .onSuccess(id -> entryListener = id)
        .compose(id -> vertx.eventBus().<Object>consumer(Addresses.clusterInbox(node), this::inbox).completion())
        .compose(v -> vertx.eventBus().<Object>localConsumer(Addresses.clusterStatus(node),
            msg -> msg.reply(status())).completion())
        .compose(v -> vertx.eventBus().<Object>localConsumer(Addresses.clusterJoin(node),
            msg -> join().onComplete(ar -> msg.reply(ar.succeeded()))).completion())
        .compose(v -> vertx.eventBus().<Object>localConsumer(Addresses.clusterLeave(node),
            msg -> leave().onComplete(ar -> msg.reply(ar.succeeded()))).completion())
        .compose(v -> refresh());
  }

  @Override
  public Future<?> stop() {
    hazelcast.getCluster().removeMembershipListener(membershipListener);
    return vertx.executeBlocking(() -> members.removeEntryListener(entryListener));
  }

  /** Map events come on Hazelcast's threads: each only asks for a refresh on this verticle's loop. */
  private final class ReadyListener implements EntryAddedListener<String, String>,
      EntryRemovedListener<String, String>, EntryUpdatedListener<String, String> {
    @Override
    public void entryAdded(com.hazelcast.core.EntryEvent<String, String> event) {
      context.runOnContext(v -> refresh());
    }

    @Override
    public void entryRemoved(com.hazelcast.core.EntryEvent<String, String> event) {
      context.runOnContext(v -> refresh());
    }

    @Override
    public void entryUpdated(com.hazelcast.core.EntryEvent<String, String> event) {
      context.runOnContext(v -> refresh());
    }
  }

  /**
   * This node is ready to own shards: it joins the view, and the reply comes once the shards the view gives it are
   * open (handed over, or opened here), or {@code handoverTimeoutMs} later.
   */
  private Future<Void> join() {
    String me = hazelcast.getCluster().getLocalMember().getUuid().toString();
    settledAfterJoin = Promise.promise();
    return vertx.executeBlocking(() -> members.put(node, me)).compose(v -> {
      joined = true;
      return refresh();
    }).compose(v -> settleBy(settledAfterJoin));
  }

  /** This node drains: it leaves the view, and the reply comes once it has handed over every shard it had. */
  private Future<Void> leave() {
    settledAfterLeave = Promise.promise();
    joined = false;
    return vertx.executeBlocking(() -> members.remove(node)).compose(v -> refresh())
        .compose(v -> settleBy(settledAfterLeave));
  }

  private Future<Void> settleBy(Promise<Void> settled) {
    checkSettled();
    long timer = vertx.setTimer(handoverTimeoutMillis * 2, id -> settled.tryComplete());
    return settled.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void checkSettled() {
    if (awaiting.isEmpty() && leaving.isEmpty() && opening.isEmpty()) {
      if (settledAfterJoin != null) {
        settledAfterJoin.tryComplete();
      }
      // The last member leaving keeps its shards: nobody is left to take them (its final snapshot holds them).
      if (settledAfterLeave != null && (open.isEmpty() || shardMap.view().members().isEmpty())) {
        settledAfterLeave.tryComplete();
      }
    }
  }

  /** Reads the ready nodes, and moves to a new view if they changed. */
  private Future<Void> refresh() {
    return vertx.executeBlocking(() -> new HashMap<>(members)).map(ready -> {
      Set<String> live = new HashSet<>();
      for (Member member : hazelcast.getCluster().getMembers()) {
        live.add(member.getUuid().toString());
      }
      Set<String> next = new TreeSet<>();
      Set<String> crashed = new TreeSet<>();
      ready.forEach((id, uuid) -> {
        if (live.contains(uuid)) {
          next.add(id);
        } else {
          crashed.add(id);
        }
      });
      ClusterView previous = shardMap.view();
      if (previous.epoch() > 0 && new TreeSet<>(previous.members()).equals(next)) {
        return null;
      }
      crashed.retainAll(previous.members());
      ClusterView view = previous.next(next);
      shardMap.view(view);
      lastChange = System.currentTimeMillis();
      crashedEver.addAll(crashed);
      LOG.info("cluster view {} (fingerprint {}): members {}{}", view.epoch(), Long.toHexString(view.fingerprint()),
          view.members(), crashed.isEmpty() ? "" : ", crashed " + crashed);
      vertx.eventBus().publish(Addresses.clusterViewChanged(node), new JsonArray(List.copyOf(crashed)),
          new DeliveryOptions().setLocalOnly(true));
      reconcile(previous, view);
      return null;
    });
  }

  /** Per shard: hand over what the view moves away, open or await what it brings. */
  private void reconcile(ClusterView previous, ClusterView view) {
    Set<String> liveNodes = new HashSet<>();
    for (Member member : hazelcast.getCluster().getMembers()) {
      String id = member.getAttribute(NODE_ATTRIBUTE);
      if (id != null) {
        liveNodes.add(id);
      }
    }
    for (int shard = 0; shard < view.shards(); shard++) {
      String owner = view.owner(shard);
      Long waiting = awaiting.get(shard);
      if (waiting != null && !node.equals(owner)) {
        // Moved on before its package came: whoever gets the package passes it on to the owner (see installed).
        vertx.cancelTimer(waiting);
        awaiting.remove(shard);
      }
      if (open.contains(shard) && owner != null && !owner.equals(node)) {
        handOver(shard);
      } else if (node.equals(owner) && !open.contains(shard) && !leaving.contains(shard)
          && !awaiting.containsKey(shard) && !opening.contains(shard)) {
        String before = previous.owner(shard);
        if (before == null || before.equals(node)) {
          openHere(shard, false, "cluster start");
        } else if (liveNodes.contains(before)) {
          // Alive (joined still, or draining): it closes the shard and sends it here.
          await(shard, before);
        } else {
          openHere(shard, true, before + " is gone without handing it over");
        }
      }
    }
    checkSettled();
  }

  private void await(int shard, String from) {
    awaiting.put(shard, vertx.setTimer(handoverTimeoutMillis, id -> {
      awaiting.remove(shard);
      if (!open.contains(shard) && node.equals(shardMap.ownerNode(shard))) {
        LOG.warn("shard [{}]: no handover from [{}] within {} ms, opened empty", shard, from, handoverTimeoutMillis);
        openHere(shard, true, "handover timed out");
      }
      checkSettled();
    }));
  }

  private void openHere(int shard, boolean empty, String why) {
    awaiting.remove(shard);
    opening.add(shard);
    handover.open(shard, empty).onComplete(ar -> {
      opening.remove(shard);
      open.add(shard);
      if (ar.failed()) {
        LOG.error("shard [{}]: cannot open: {}", shard, ar.cause().toString());
      } else {
        LOG.debug("shard [{}] opened here ({}{})", shard, why, empty ? ", empty" : "");
        passOnIfMoved(shard);
      }
      checkSettled();
    });
  }

  private void handOver(int shard) {
    open.remove(shard);
    leaving.add(shard);
    handover.export(shard).onComplete(ar -> {
      if (ar.failed()) {
        LOG.error("shard [{}]: export failed, it stays closed here: {}", shard, ar.cause().toString());
        leaving.remove(shard);
        checkSettled();
        return;
      }
      deliver(ar.result());
    });
  }

  /** Sends a package to the shard's owner in the current view, or installs it here again if that is this node. */
  private void deliver(Buffer packed) {
    int shard = ShardHandover.shardOf(packed);
    String owner = shardMap.ownerNode(shard);
    if (owner == null || owner.equals(node)) {
      if (joined || owner != null) {
        installHere(packed, "no other owner");
      } else {
        // The last node leaving: nobody to hand to; the shard stays closed, its state in the final snapshot.
        leaving.remove(shard);
        checkSettled();
      }
      return;
    }
    vertx.eventBus().request(Addresses.clusterInbox(owner), packed,
        new DeliveryOptions().setSendTimeout(handoverTimeoutMillis)).onComplete(ar -> {
      if (ar.succeeded()) {
        LOG.debug("shard [{}] handed over to [{}]", shard, owner);
        leaving.remove(shard);
        checkSettled();
      } else {
        LOG.warn("shard [{}]: handover to [{}] failed ({}), trying again", shard, owner, ar.cause().toString());
        vertx.setTimer(RETRY_MILLIS, id -> deliver(packed));
      }
    });
  }

  private void installHere(Buffer packed, String why) {
    int shard = ShardHandover.shardOf(packed);
    opening.add(shard);
    handover.install(packed).onComplete(ar -> {
      leaving.remove(shard);
      opening.remove(shard);
      if (ar.succeeded()) {
        open.add(shard);
        LOG.debug("shard [{}] installed here ({})", shard, why);
        passOnIfMoved(shard);
      } else {
        LOG.error("shard [{}]: install failed: {}", shard, ar.cause().toString());
      }
      checkSettled();
    });
  }

  /** A package from another node: this node's now, whatever its own view says yet (the sender's closed it). */
  private void inbox(Message<Object> msg) {
    if (!(msg.body() instanceof Buffer packed)) {
      msg.reply(status());
      return;
    }
    int shard = ShardHandover.shardOf(packed);
    Long timer = awaiting.remove(shard);
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
    if (open.contains(shard) || opening.contains(shard)) {
      // It came after this node stopped waiting and opened the shard empty: its events since then went by the state
      // this node holds now, and installing the older conversations and dedup window over it would roll them back.
      // The events the old owner held are still owed to the targets: only they are taken.
      LOG.warn("shard [{}]: a handover package came after the shard opened here without it; only its held events "
          + "are taken", shard);
      handover.installHeldEvents(packed).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(null);
        } else {
          msg.fail(FailureCodes.INTERNAL, String.valueOf(ar.cause()));
        }
      });
      return;
    }
    opening.add(shard);
    handover.install(packed).onComplete(ar -> {
      opening.remove(shard);
      if (ar.succeeded()) {
        open.add(shard);
        msg.reply(null);
        passOnIfMoved(shard);
      } else {
        msg.fail(FailureCodes.INTERNAL, String.valueOf(ar.cause()));
      }
      checkSettled();
    });
  }

  /**
   * A shard that arrived (or opened) after the view gave it to yet another node, e.g. when two nodes joined in
   * quick succession: it goes on to that node the same way, so it is open on one node only.
   */
  private void passOnIfMoved(int shard) {
    String owner = shardMap.ownerNode(shard);
    if (open.contains(shard) && owner != null && !owner.equals(node)) {
      handOver(shard);
    }
  }

  /** This node's part of {@code /ready}: the view, the shards it owns, and any handover under way. */
  private JsonObject status() {
    ClusterView view = shardMap.view();
    return new JsonObject().put("node", node).put("epoch", view.epoch())
        .put("fingerprint", Long.toHexString(view.fingerprint())).put("members", new JsonArray(view.members()))
        .put("joined", joined).put("owned", new JsonArray(List.copyOf(open)))
        .put("awaitingHandover", new JsonArray(List.copyOf(new TreeSet<>(awaiting.keySet()))))
        .put("handingOver", new JsonArray(List.copyOf(leaving)))
        .put("rebalancing", !awaiting.isEmpty() || !leaving.isEmpty() || !opening.isEmpty())
        .put("crashedSinceStart", new JsonArray(List.copyOf(crashedEver)))
        .put("lastViewChangeAt", java.time.Instant.ofEpochMilli(lastChange).toString());
  }
}
