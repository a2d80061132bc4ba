package io.switchboard.bus;

import java.util.Locale;

/**
 * Every event-bus address Switchboard uses, in one place. Each is scoped by the node that consumes it
 * ({@code sb.<node>.…}) and consumed with {@code localConsumer}: in a cluster a sender first resolves the owner
 * (a shard's owner through {@link ShardMap}, a source's node from its ticket) and then sends to that node's own
 * address, so a send never round-robins between nodes and a shard never has two owners.
 */
public final class Addresses {

  /**
   * Dead letters of this node's stages, to this node's DLQ writer, which writes them and settles their events with
   * their sources. It replies once the line is durable, or fails with {@link FailureCodes#BUSY} if it is not and
   * will not be retried (see {@code DeadLetterWriterVerticle}). Node local by delivery: consumed with
   * {@code localConsumer} and sent with {@code localOnly}.
   */
  public static final String DEAD_LETTER = "sb.deadletter";

  private static final String PREFIX = "sb.";

  // The DLQ's admin requests, answered by the DLQ writer, the store's one owner. The files are this node's, so
  // these are node-local (consumed with localConsumer): a request must reach the writer of this node's directory.

  /** Request: a JSON object of {@code GET /dlq} query parameters; reply: one page as JSON bytes, or failure 400. */
  public static final String DLQ_QUERY = "dlq.query";
  /** Request: a dead letter id; reply: its entry as JSON bytes, or failure 404. */
  public static final String DLQ_GET = "dlq.get";
  /** Request: a JSON array of ids; reply: a JSON array of the entries found to replay, oldest first. */
  public static final String DLQ_GET_ALL = "dlq.get-all";
  /** Request: a JSON object naming an entry (as get-all returned it), outcome and target; reply: empty. */
  public static final String DLQ_MARK_REPLAYED = "dlq.mark-replayed";
  /** Request: anything; reply: the number of dead letters not yet successfully replayed. */
  public static final String DLQ_DEPTH = "dlq.depth";

  private Addresses() {
  }

  /** Where the owner of {@code shard} of {@code stage} on {@code node} takes events (use {@link ShardMap}). */
  static String shard(String node, ShardMap.Stage stage, int shard) {
    return PREFIX + node + "." + stage.name().toLowerCase(Locale.ROOT) + "." + shard;
  }

  /** Releases every event the reorder shard holds; used by graceful shutdown. */
  public static String reorderFlush(String node, int shard) {
    return PREFIX + node + ".reorder.flush." + shard;
  }

  /** Request: anything; reply: one reorder instance's release mode and lateness bounds as JSON. */
  public static String reorderStatus(String node, int instance) {
    return PREFIX + node + ".reorder.status." + instance;
  }

  /** Request: a conversation id; reply: the conversation as JSON, or failure 404. */
  public static String stateQuery(String node, int shard) {
    return PREFIX + node + ".state.query." + shard;
  }

  /** Request: a conversation id; reply: its compact snapshot as JSON bytes (a Buffer), or failure 404. */
  public static String stateSnapshot(String node, int shard) {
    return PREFIX + node + ".state.snapshot." + shard;
  }

  /**
   * One instance of a target's dispatchers, consumed node-locally by that instance alone. Senders (the state stage,
   * a DLQ replay) route each event to the instance owning its ordering key ({@code TargetRoutes}), so each key has
   * one dispatcher per target and keeps its order there.
   */
  public static String dispatch(String node, String targetId, int instance) {
    return PREFIX + node + ".dispatch." + targetId + "." + instance;
  }

  /** Request: anything; reply: one dispatcher instance's status (queue, in flight, health) as JSON. */
  public static String dispatchStatus(String node, String targetId, int instance) {
    return PREFIX + node + ".dispatch.status." + targetId + "." + instance;
  }

  /**
   * Request (any body): the target instance stops taking events and parks what it still holds, settling it as
   * parked when its overflow is durable. The last step of a graceful drain before the final checkpoint.
   */
  public static String dispatchPark(String node, String targetId, int instance) {
    return PREFIX + node + ".dispatch.park." + targetId + "." + instance;
  }

  /**
   * Where an admitting source hears that its events are settled; the source id is stable across restarts
   * ({@code http-0}, a Kafka source's name), so what it journals can be matched to it again.
   */
  public static String settle(String node, String sourceId) {
    return PREFIX + node + ".settle." + sourceId;
  }

  /**
   * Where the dedup stage sends its verdict on an event admitted by the source whose settlement address is
   * {@code settleAddress} (the event's ticket origin): beside it, on the same node.
   */
  public static String verdicts(String settleAddress) {
    return settleAddress + ".verdict";
  }

  /** Where MainVerticle drives one ingest instance's part of a graceful shutdown. */
  public static String ingestControl(String node, String sourceId) {
    return PREFIX + node + ".ingest.control." + sourceId;
  }

  /**
   * Checkpoint control of one shard of a stateful stage (dedup, state): request {@code "snapshot"} writes the
   * shard's snapshot and replies once it is durable; {@code "replay-end"} tells it the journals' replay is over.
   */
  public static String checkpoint(String node, ShardMap.Stage stage, int shard) {
    return PREFIX + node + ".checkpoint." + stage.name().toLowerCase(Locale.ROOT) + "." + shard;
  }

  /**
   * The node's one owner of Genesys access (its OAuth token and REST budget). Request {@code {"action":"permit"}}:
   * replies {@code {"token"}} once a request may go; {@code "refused"} (with the token the API answered 401 to),
   * {@code "throttled"} (with {@code retryAfterMs}) and {@code "status"} as {@code GenesysAccessVerticle} says.
   */
  public static String genesysAccess(String node) {
    return PREFIX + node + ".genesys.access";
  }

  /**
   * Node-local control of one shard of a stage for a cluster handover: a JSON request whose {@code action} is
   * {@code open} (dedup: start taking events), {@code export} (stop taking them and reply with the shard's state as
   * bytes), or {@code install} (a Buffer: take over the state another node exported, then open). See
   * {@code ShardHandover}.
   */
  public static String shardControl(String node, ShardMap.Stage stage, int shard) {
    return PREFIX + node + ".shard." + stage.name().toLowerCase(Locale.ROOT) + "." + shard;
  }

  /**
   * Cluster-wide: where a node takes the shards another node hands it (a Buffer, see {@code ShardHandover}), and
   * answers {@code status} requests of other nodes' {@code /ready}.
   */
  public static String clusterInbox(String node) {
    return PREFIX + node + ".cluster.inbox";
  }

  /** Node-local request: this node's cluster status for {@code /ready} (JSON). */
  public static String clusterStatus(String node) {
    return PREFIX + node + ".cluster.status";
  }

  /** Node-local request: join the view (the node is ready to own shards); replies once its shards are open. */
  public static String clusterJoin(String node) {
    return PREFIX + node + ".cluster.join";
  }

  /** Node-local request: leave the view (the node drains); replies once its shards are handed over. */
  public static String clusterLeave(String node) {
    return PREFIX + node + ".cluster.leave";
  }

  /** Node-local publish: the node's view changed (body: the nodes that crashed out of it); sources re-route. */
  public static String clusterViewChanged(String node) {
    return PREFIX + node + ".cluster.view";
  }

  /** Request (any body) that drains this node's pipeline; replies with the events still unsettled. */
  public static String drain(String node) {
    return PREFIX + node + ".drain";
  }
}
