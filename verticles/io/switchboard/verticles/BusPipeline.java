package io.switchboard.verticles;

import io.switchboard.bus.Addresses;
import io.switchboard.bus.Bus;
import io.switchboard.bus.ShardMap;
import io.switchboard.cluster.AcceptedElsewhere;
import io.switchboard.cluster.ShardRouter;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.PendingVerdicts;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.Replay;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Admission's way into the pipeline for a source verticle: the owner of the event's dedup shard, and this node's
 * DLQ writer. The dedup verdict comes back to the source's verdict address, where {@code pending} awaits it.
 *
 * <p>Clustered, the owner is the node the view names, and a {@link ShardRouter} keeps each shard's events in order
 * through ownership changes: what a node turns away ({@link DedupVerdict#NOT_OWNER}) is sent again, in order, to
 * the owner the view names then, until the verdict's deadline. Events a node accepted are remembered until they
 * settle ({@link AcceptedElsewhere}); if that node leaves the cluster without handing its shards over (a crash),
 * they are sent again to the new owners, marked {@link Replay#DELIVER}, and settle from there.
 */
final class BusPipeline implements Admission.Pipeline {

  private static final Logger LOG = LoggerFactory.getLogger(BusPipeline.class);
  private static final long RETRY_MILLIS = 25;

  /** One event on its way to a dedup shard: a first send (someone awaits {@code answer}) or a resend after a crash. */
  private record Attempt(PipelineEvent event, int shard, long seq, Promise<DedupVerdict> answer, long deadline)
      implements ShardRouter.Routed {
    boolean resend() {
      return answer == null;
    }
  }

  private final Vertx vertx;
  private final ShardMap shardMap;
  private final PendingVerdicts pending;
  private final long verdictTimeoutMs;
  private final LongConsumer settle;
  private final ShardRouter<Attempt> router;
  private final AcceptedElsewhere<PipelineEvent> accepted = new AcceptedElsewhere<>();
  private long retryTimer = -1;

  /**
   * @param settle settles a sequence number at the source: for a crash resend that dedup found it already had
   */
  BusPipeline(Vertx vertx, ShardMap shardMap, PendingVerdicts pending, long verdictTimeoutMs, LongConsumer settle) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.verdictTimeoutMs = verdictTimeoutMs;
    this.settle = Objects.requireNonNull(settle, "settle");
    this.router = shardMap.clustered() ? new ShardRouter<>(shardMap::ownerNode, this::send, RETRY_MILLIS) : null;
  }

  @Override
  public Future<DedupVerdict> dedup(PipelineEvent event) {
    long now = System.currentTimeMillis();
    if (router == null) {
      // Awaited before sending, so a verdict can never arrive unexpected.
      Future<DedupVerdict> verdict = pending.await(event.ticket().seq(), now);
      vertx.eventBus().send(shardMap.addressOf(ShardMap.Stage.DEDUP, event.conversationId()), event, Bus.LOCAL);
      return verdict;
    }
    Promise<DedupVerdict> answer = Promise.promise();
    router.submit(new Attempt(event, shardMap.shardOf(event.conversationId()), event.ticket().seq(), answer,
        now + verdictTimeoutMs), now);
    armRetry();
    return answer.future();
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return DeadLetters.send(vertx, letter);
  }

  /** The source's event {@code seq} settled: nothing to send again for it. */
  void settled(long seq) {
    if (router != null) {
      accepted.settled(seq);
    }
  }

  /** Events accepted by other stages and not settled yet, that a crash of their node would have sent again. */
  int acceptedUnsettled() {
    return accepted.size();
  }

  /**
   * The node's view changed. {@code crashed} are nodes that left the cluster without handing their shards over:
   * what they accepted and did not settle goes again, in order, to the new owners. (A node that leaves gracefully
   * hands over first: what it accepted settles from the new owner, so nothing is sent twice.)
   */
  void viewChanged(java.util.Collection<String> crashed) {
    if (router == null) {
      return;
    }
    Set<String> gone = new HashSet<>(crashed);
    long time = System.currentTimeMillis();
    if (!gone.isEmpty()) {
      router.forget(gone);
      List<Map.Entry<Long, PipelineEvent>> resend = accepted.takeAcceptedBy(gone);
      if (!resend.isEmpty()) {
        LOG.info("nodes {} left the cluster holding [{}] unsettled events of this source: sending them to the new "
            + "owners", gone, resend.size());
      }
      for (Map.Entry<Long, PipelineEvent> entry : resend) {
        PipelineEvent event = entry.getValue().asReplay(Replay.DELIVER);
        router.submit(new Attempt(event, shardMap.shardOf(event.conversationId()), entry.getKey(), null,
            Long.MAX_VALUE), time);
      }
    }
    router.retry(time);
    armRetry();
  }

  private void send(Attempt attempt, String node) {
    String address = shardMap.addressOn(node, ShardMap.Stage.DEDUP, attempt.shard());
    Future<DedupVerdict> verdict = pending.await(attempt.seq(), System.currentTimeMillis());
    vertx.eventBus().send(address, attempt.event(), Bus.to(address, shardMap.localNode()));
    verdict.onComplete(ar -> answered(attempt, node, ar));
  }

  private void answered(Attempt attempt, String node, AsyncResult<DedupVerdict> ar) {
    long now = System.currentTimeMillis();
    if (ar.succeeded() && ar.result() == DedupVerdict.NOT_OWNER
        && (attempt.resend() || now < attempt.deadline())) {
      router.turnedAway(attempt, now);
      armRetry();
      return;
    }
    router.answered(attempt, now);
    if (attempt.resend()) {
      resent(attempt, node, ar, now);
      return;
    }
    if (ar.succeeded() && ar.result() == DedupVerdict.NOT_OWNER) {
      attempt.answer().fail("no node took shard " + attempt.shard() + " within " + verdictTimeoutMs + " ms");
      return;
    }
    if (ar.succeeded() && ar.result() == DedupVerdict.ACCEPTED) {
      remember(attempt, node);
    }
    attempt.answer().handle(ar);
  }

  /** A crash resend is retried until a node takes it; one dedup already had is settled (another copy carries it). */
  private void resent(Attempt attempt, String node, AsyncResult<DedupVerdict> ar, long now) {
    if (ar.failed()) {
      router.submit(attempt, now);
      armRetry();
    } else if (ar.result() == DedupVerdict.ACCEPTED) {
      remember(attempt, node);
    } else {
      settle.accept(attempt.seq());
    }
  }

  /** Only another node's crash leaves this source to send an event again; this node's own takes the source along. */
  private void remember(Attempt attempt, String node) {
    if (!node.equals(shardMap.localNode())) {
      accepted.accepted(attempt.seq(), attempt.event(), node);
    }
  }

  /** While events wait in the router, a timer sends them on and fails those whose deadline passed. */
  private void armRetry() {
    if (retryTimer >= 0 || router.waiting() == 0) {
      return;
    }
    retryTimer = vertx.setTimer(RETRY_MILLIS, id -> {
      retryTimer = -1;
      long now = System.currentTimeMillis();
      router.dropIf(attempt -> {
        if (attempt.resend() || now < attempt.deadline()) {
          return false;
        }
        attempt.answer().tryFail("no node took shard " + attempt.shard() + " within " + verdictTimeoutMs + " ms");
        return true;
      });
      router.retry(now);
      armRetry();
    });
  }
}
