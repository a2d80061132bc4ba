package io.switchboard.cluster;

import io.switchboard.it.FreePorts;
import com.hazelcast.cluster.Member;
import io.switchboard.config.ClusterConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two clustered Vert.x instances in this JVM, each with a Hazelcast member configured by {@link HazelcastSetup} on
 * loopback (a cluster name of its own, free ports): they form one cluster, see each other's Switchboard node id, and
 * share the event bus.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HazelcastClusterStartTest {

  private static final String ADDRESS = "sb.test.cluster-start.ping";

  private final List<Vertx> started = new CopyOnWriteArrayList<>();

  /** Last started first: each leaves gracefully, rather than the others suspecting a member that vanished. */
  @AfterEach
  void close(VertxTestContext ctx) {
    Future<Void> closed = Future.succeededFuture();
    for (int i = started.size() - 1; i >= 0; i--) {
      Vertx vertx = started.get(i);
      closed = closed.compose(previous -> vertx.close());
    }
    closed.onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void verifiesThatTwoNodesFormOneClusterKnowEachOthersNodeIdAndShareTheEventBus(VertxTestContext ctx)
      throws Exception {
    String name = "sb-test-" + UUID.randomUUID();
    int portA = FreePorts.one();
    int portB = FreePorts.one();
    List<String> members = List.of("127.0.0.1:" + portA, "127.0.0.1:" + portB);
    HazelcastClusterManager a = manager(name, "node-a", portA, members);
    HazelcastClusterManager b = manager(name, "node-b", portB, members);
    // One after the other, from this thread: b then joins a's cluster rather than both founding one (a split brain
    // that Hazelcast would only merge seconds later), and neither is built from the other's event loop.
    Vertx vertxA = await(start(a, name, portA, members));
    Vertx vertxB = await(start(b, name, portB, members));

    Future.all(twoMembers(vertxA, a), twoMembers(vertxB, b))
        .compose(both -> {
          ctx.verify(() -> {
            assertEquals("node-b", otherNodeId(a));
            assertEquals("node-a", otherNodeId(b));
          });
          return vertxB.eventBus().<String>consumer(ADDRESS, message -> message.reply("pong from node-b")).completion();
        })
        .compose(registered -> vertxA.eventBus().<String>request(ADDRESS, "ping"))
        .map(Message::body)
        .onComplete(ctx.succeeding(reply -> ctx.verify(() -> {
          assertEquals("pong from node-b", reply);
          ctx.completeNow();
        })));
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static HazelcastClusterManager manager(String name, String nodeId, int port, List<String> members) {
    return new HazelcastClusterManager(HazelcastSetup.of(cluster(name, port, members), nodeId, null));
  }

  private static ClusterConfig cluster(String name, int port, List<String> members) {
    return new ClusterConfig(true, name, "127.0.0.1", port, 0, members, 3000, 5000);
  }

  private Future<Vertx> start(HazelcastClusterManager manager, String name, int port, List<String> members) {
    VertxOptions options = new VertxOptions();
    HazelcastSetup.eventBus(cluster(name, port, members), options.getEventBusOptions());
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().onSuccess(started::add);
  }

  /** Completes once {@code manager}'s member sees two members (the joining one may see them first). */
  private static Future<Void> twoMembers(Vertx vertx, HazelcastClusterManager manager) {
    Promise<Void> promise = Promise.promise();
    // Not a first tick at 0 ms: Vert.x 5.0.8 may run it before the timer can be cancelled (an NPE in cancelTimer).
    vertx.setPeriodic(50, id -> {
      if (manager.getHazelcastInstance().getCluster().getMembers().size() == 2) {
        vertx.cancelTimer(id);
        promise.complete();
      }
    });
    return promise.future();
  }

  private static String otherNodeId(HazelcastClusterManager manager) {
    Member self = manager.getHazelcastInstance().getCluster().getLocalMember();
    return manager.getHazelcastInstance().getCluster().getMembers().stream()
        .filter(member -> !member.getUuid().equals(self.getUuid()))
        .map(HazelcastSetup::nodeIdOf)
        .findFirst()
        .orElse(null);
  }
}
