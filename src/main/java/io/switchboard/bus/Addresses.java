package io.switchboard.bus;

/**
 * Every event-bus address Switchboard uses, in one place. Per-conversation stages have one address per
 * shard, each consumed by exactly one verticle instance, so each conversation's state has one owner.
 */
public final class Addresses {

  /** Dead letters from every stage; the DLQ writer replies once the line is durable. */
  public static final String DEAD_LETTER = "deadletter.in";

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

  /** Request: a conversation id; reply: its compact snapshot as JSON bytes (a Buffer), or failure 404. */
  public static String stateSnapshot(int shard) {
    return "state.snapshot." + shard;
  }

  /**
   * One instance of a target's dispatchers, consumed node-locally by that instance alone. Senders (the state stage,
   * a DLQ replay) route each event to the instance owning its ordering key ({@code TargetRoutes}), so each key has
   * one dispatcher per target and keeps its order there.
   */
  public static String dispatch(String targetId, int instance) {
    return "dispatch." + targetId + "." + instance;
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
