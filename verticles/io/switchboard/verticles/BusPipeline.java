package io.switchboard.verticles;

import io.switchboard.bus.ShardMap;
import io.switchboard.ingest.Admission;
import io.switchboard.ingest.PendingVerdicts;
import io.switchboard.message.DeadLetter;
import io.switchboard.message.DedupVerdict;
import io.switchboard.message.PipelineEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Objects;

/**
 * Admission's way into the pipeline for a source verticle: the owner of the event's dedup shard, and this node's
 * DLQ writer. The dedup verdict comes back to the source's verdict address, where {@code pending} awaits it.
 */
final class BusPipeline implements Admission.Pipeline {

  private final Vertx vertx;
  private final ShardMap shardMap;
  private final PendingVerdicts pending;

  BusPipeline(Vertx vertx, ShardMap shardMap, PendingVerdicts pending) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.shardMap = Objects.requireNonNull(shardMap, "shardMap");
    this.pending = Objects.requireNonNull(pending, "pending");
  }

  @Override
  public Future<DedupVerdict> dedup(PipelineEvent event) {
    // Awaited before sending, so a verdict can never arrive unexpected.
    Future<DedupVerdict> verdict = pending.await(event.ticket().seq(), System.currentTimeMillis());
    vertx.eventBus().send(shardMap.addressOf(ShardMap.Stage.DEDUP, event.conversationId()), event);
    return verdict;
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return DeadLetters.send(vertx, letter);
  }
}
