package io.switchboard.bus;

/**
 * Every event-bus address Switchboard uses, in one place. Per-conversation stages have one address per
 * shard, each consumed by exactly one verticle instance, so each conversation's state has one owner.
 */
public final class Addresses {

  /**
   * Dead letters from every stage, to this node's DLQ writer, which writes them and settles their events with their
   * sources. It replies once the line is durable, or fails with {@link FailureCodes#BUSY} if it is not and will not
   * be retried (see {@code DeadLetterWriterVerticle}).
   */
  public static final String DEAD_LETTER = "deadletter.in";

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

  public static String dedup(int shard) {
    return "dedup." + shard;
  }

  public static String reorder(int shard) {
    return "reorder." + shard;
  }

  /** Releases every event the reorder shard holds; used by graceful shutdown. */
  public static String reorderFlush(int shard) {
    return "reorder.flush." + shard;
  }

  /** Request: anything; reply: one reorder instance's release mode and lateness bounds as JSON (node-local). */
  public static String reorderStatus(int instance) {
    return "reorder.status." + instance;
  }

  public static String state(int shard) {
    return "state." + shard;
  }

  /** Request: a conversation id; reply: the conversation as JSON, or failure 404. */
  public static String stateQuery(int shard) {
    return "state.query." + shard;
  }

  /**
   * A target's dispatchers. The state stage publishes each processed event here once; every instance of
   * the target receives it and keeps the conversations it owns (hash % instances), so each conversation
   * has one dispatcher per target and keeps its order there.
   */
  /** Request: a conversation id; reply: its compact snapshot as JSON bytes (a Buffer), or failure 404. */
  public static String stateSnapshot(int shard) {
    return "state.snapshot." + shard;
  }

  public static String dispatch(String targetId) {
    return "dispatch." + targetId;
  }

  /** Request: anything; reply: one dispatcher instance's status (queue, in flight, health) as JSON. */
  public static String dispatchStatus(String targetId, int instance) {
    return "dispatch.status." + targetId + "." + instance;
  }

  /** Where an admitting source hears that its events are settled. */
  public static String settle(String originId) {
    return "settle." + originId;
  }
}
