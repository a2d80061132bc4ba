package io.switchboard.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A Kafka consumer on a thread of its own that hands everything to a Vert.x context: the shape vertx-kafka-client
 * uses (a dedicated thread, {@code runOnContext} back), written out here because its rebalance callbacks are fire and
 * forget. A revoke must <em>wait</em>, inside the callback and so before the partition moves, until the revoked
 * records have settled and their offsets are committed; otherwise the next owner starts delivering a conversation's
 * later events while this one still holds earlier ones.
 *
 * <p>The event loop drives it by commands (pause, resume, commit) that the polling thread applies between polls; the
 * consumer itself is only ever touched by that thread. Polls are short, so commands wait at most one poll.
 */
public final class KafkaPoller {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaPoller.class);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final Duration BLOCKING_CALL = Duration.ofSeconds(15);

  /** What the poller tells its owner; every call runs on the owner's context. */
  public interface Listener {

    /** Partitions this consumer now owns, with where each starts, its note and its end offset. */
    void assigned(List<Assignment> partitions);

    /**
     * Partitions being taken away: stop admitting from them, and complete with the offsets to commit once their
     * records have settled (bounded by the owner). The rebalance waits for this.
     */
    Future<Map<TopicPartition, OffsetAndMetadata>> revoked(Set<TopicPartition> partitions);

    /** Partitions lost without a revoke (the session expired): nothing of them may be committed any more. */
    void lost(Set<TopicPartition> partitions);

    void records(ConsumerRecords<byte[], byte[]> records);

    /** A poll failed (authentication, authorization …): polling goes on after a pause. */
    void pollFailed(Throwable error);

    /** Polling works again after {@link #pollFailed}: a poll succeeded while partitions were assigned. */
    void pollRecovered();
  }

  /**
   * One newly assigned partition.
   *
   * @param start      the offset consumption starts at
   * @param metadata   the metadata committed with the offset, or null
   * @param endOffset  the partition's end offset at assignment
   */
  public record Assignment(TopicPartition partition, long start, String metadata, long endOffset) {
  }

  private final Context context;
  private final Map<String, Object> properties;
  private final Consumer<KafkaConsumer<byte[], byte[]>> subscribe;
  private final Listener listener;
  private final long revokeWaitMillis;
  private final Queue<Consumer<KafkaConsumer<byte[], byte[]>>> commands = new ConcurrentLinkedQueue<>();
  private final Promise<Void> closed;
  private final Thread thread;
  private volatile boolean closing;
  private final java.util.concurrent.Semaphore handedOver = new java.util.concurrent.Semaphore(1);
  /** A poll failed and no poll with partitions assigned has succeeded since (polling thread only). */
  private boolean failed;
  /** The consumer, for the rebalance callbacks: they run inside its poll, on the polling thread. */
  private KafkaConsumer<byte[], byte[]> current;

  private KafkaPoller(Context context, Map<String, Object> properties, List<String> topics, String topicPattern,
                      Listener listener, long revokeWaitMillis, String name) {
    this.context = context;
    this.properties = new HashMap<>(properties);
    this.listener = listener;
    this.revokeWaitMillis = revokeWaitMillis;
    this.closed = Promise.promise();
    ConsumerRebalanceListener rebalance = new Rebalance();
    this.subscribe = topicPattern != null
        ? consumer -> consumer.subscribe(Pattern.compile(topicPattern), rebalance)
        : consumer -> consumer.subscribe(topics, rebalance);
    this.thread = new Thread(this::run, "switchboard-kafka-" + name);
    this.thread.setDaemon(true);
  }

  /**
   * Starts polling. {@code properties} are the consumer's (bootstrap, group, security); deserialisers and offset
   * handling are set here. Call on the owner's context: that is where the listener runs.
   */
  public static KafkaPoller start(Context context, Map<String, Object> properties, List<String> topics,
                                  String topicPattern, Listener listener, long revokeWaitMillis, String name) {
    KafkaPoller poller = new KafkaPoller(context, properties, topics, topicPattern, listener, revokeWaitMillis, name);
    poller.thread.start();
    return poller;
  }

  /** The properties every Switchboard consumer insists on. */
  public static Map<String, Object> ownedProperties() {
    Map<String, Object> owned = new HashMap<>();
    owned.put("enable.auto.commit", "false");
    owned.put("key.deserializer", ByteArrayDeserializer.class.getName());
    owned.put("value.deserializer", ByteArrayDeserializer.class.getName());
    owned.put("partition.assignment.strategy",
        "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    owned.put("isolation.level", "read_committed");
    return owned;
  }

  public void pause(Collection<TopicPartition> partitions) {
    Set<TopicPartition> copy = new HashSet<>(partitions);
    commands.add(consumer -> {
      copy.retainAll(consumer.assignment());
      consumer.pause(copy);
    });
  }

  public void resume(Collection<TopicPartition> partitions) {
    Set<TopicPartition> copy = new HashSet<>(partitions);
    commands.add(consumer -> {
      copy.retainAll(consumer.assignment());
      consumer.resume(copy);
    });
  }

  /** Commits {@code offsets} of partitions still owned; completes on the owner's context. */
  public Future<Void> commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    Promise<Void> done = Promise.promise();
    Map<TopicPartition, OffsetAndMetadata> copy = new HashMap<>(offsets);
    commands.add(consumer -> {
      copy.keySet().retainAll(consumer.assignment());
      if (copy.isEmpty()) {
        context.runOnContext(v -> done.complete());
        return;
      }
      consumer.commitAsync(copy, (committed, error) -> context.runOnContext(v -> {
        if (error == null) {
          done.complete();
        } else {
          done.fail(error);
        }
      }));
    });
    return done.future();
  }

  /** Leaves the group and closes the consumer; completes on the owner's context. */
  public Future<Void> close() {
    closing = true;
    return closed.future();
  }

  private void run() {
    KafkaConsumer<byte[], byte[]> consumer;
    try {
      consumer = new KafkaConsumer<>(properties);
      current = consumer;
      subscribe.accept(consumer);
    } catch (KafkaException e) {
      LOG.error("kafka consumer [{}] could not start: {}", thread.getName(), e.toString());
      context.runOnContext(v -> {
        listener.pollFailed(e);
        closed.complete();
      });
      return;
    }
    try {
      while (!closing) {
        applyCommands(consumer);
        // One batch at a time: the next poll waits until the owner has taken the last one, so a pause it asks for
        // while taking it holds before anything more is fetched for that partition.
        if (!handedOver.tryAcquire(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
          continue;
        }
        try {
          ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
          if (failed && !consumer.assignment().isEmpty()) {
            failed = false;
            context.runOnContext(v -> listener.pollRecovered());
          }
          if (records.isEmpty()) {
            handedOver.release();
          } else {
            context.runOnContext(v -> {
              try {
                listener.records(records);
              } finally {
                handedOver.release();
              }
            });
          }
        } catch (WakeupException ignored) {
          handedOver.release();
          // only close() would wake it, and it checks closing
        } catch (InterruptException e) {
          break;
        } catch (KafkaException e) {
          handedOver.release();
          failed = true;
          context.runOnContext(v -> listener.pollFailed(e));
          pause(1_000);
        }
      }
      applyCommands(consumer);
      // Pending async commits complete inside close (it waits for them up to the timeout).
      consumer.close(BLOCKING_CALL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("kafka consumer [{}] closed with an error: {}", thread.getName(), e.toString());
    } finally {
      context.runOnContext(v -> closed.tryComplete());
    }
  }

  private void applyCommands(KafkaConsumer<byte[], byte[]> consumer) {
    Consumer<KafkaConsumer<byte[], byte[]>> command;
    while ((command = commands.poll()) != null) {
      try {
        command.accept(consumer);
      } catch (RuntimeException e) {
        LOG.warn("kafka consumer [{}] command failed: {}", thread.getName(), e.toString());
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs on the polling thread, inside poll(). */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Closing: the drain's last checkpoint has committed what settled; waiting here for the owner's event loop,
      // which is being undeployed, would only delay the leave-group that hands the partitions over.
      if (partitions.isEmpty() || closing) {
        return;
      }
      Set<TopicPartition> revoked = new HashSet<>(partitions);
      CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> offsets = new CompletableFuture<>();
      context.runOnContext(v -> listener.revoked(revoked).onComplete(ar ->
          offsets.complete(ar.succeeded() ? ar.result() : Map.of())));
      Map<TopicPartition, OffsetAndMetadata> toCommit;
      try {
        toCommit = offsets.get(revokeWaitMillis + 5_000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        LOG.warn("kafka consumer [{}]: revoked partitions {} not settled in time; handing them over uncommitted",
            thread.getName(), revoked);
        return;
      }
      if (!toCommit.isEmpty()) {
        try {
          current.commitSync(toCommit, BLOCKING_CALL);
        } catch (RuntimeException e) {
          LOG.warn("kafka consumer [{}]: commit of revoked partitions failed: {}", thread.getName(), e.toString());
        }
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        Set<TopicPartition> lost = new HashSet<>(partitions);
        context.runOnContext(v -> listener.lost(lost));
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      List<Assignment> assigned = new ArrayList<>();
      if (!partitions.isEmpty()) {
        Set<TopicPartition> set = new HashSet<>(partitions);
        Map<TopicPartition, OffsetAndMetadata> committed = current.committed(set, BLOCKING_CALL);
        Map<TopicPartition, Long> ends = current.endOffsets(set, BLOCKING_CALL);
        for (TopicPartition tp : set) {
          OffsetAndMetadata c = committed.get(tp);
          long start = c != null ? c.offset() : current.position(tp, BLOCKING_CALL);
          assigned.add(new Assignment(tp, start, c == null ? null : c.metadata(), ends.getOrDefault(tp, start)));
        }
      }
      context.runOnContext(v -> listener.assigned(assigned));
    }
  }
}
