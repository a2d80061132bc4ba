package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.Set;

/**
 * Judges one sink target against what was sent: delivered, lost, unexpected, duplicated (same idempotency
 * key accepted twice), order violations (eventTime going backwards in a conversation, beyond the events the
 * generator itself sent out of order, see {@link SendOrder}), throughput and sent→delivered latency, overall
 * and by conversation kind.
 */
final class TargetVerdict {

  private TargetVerdict() {
  }

  /**
   * @param kinds     every expected envelope id and the kind of its conversation
   * @param swapped   ids the generator sent after a later event of their conversation
   * @param loadStart epoch ms when sending began: delivered/s is measured from there to the last delivery
   */
  static JsonObject of(SinkTarget.Snapshot target, Map<String, ConversationKind> kinds, Set<String> swapped,
                       long loadStart) {
    JsonObject stats = target.stats();
    long lost = kinds.keySet().stream().filter(id -> !target.envelopeIds().contains(id)).count();
    long unexpected = target.envelopeIds().stream().filter(id -> !kinds.containsKey(id)).count();
    long lateSwapped = target.violationIds().stream().filter(swapped::contains).count();
    long violations = stats.getLong("orderViolations") - lateSwapped;
    long last = target.times().size() == 0 ? loadStart : target.times().lastReceived();
    JsonObject byKind = new JsonObject();
    for (ConversationKind kind : ConversationKind.values()) {
      byKind.put(kind.label(), target.times().latency(Long.MIN_VALUE, Long.MAX_VALUE, id -> kinds.get(id) == kind));
    }
    return new JsonObject()
        .put("delivered", stats.getLong("accepted"))
        .put("deliveredPerSec", Rates.perSecond(target.envelopeIds().size(), (last - loadStart) * 1_000_000))
        .put("lastDeliveryS", Rates.seconds((last - loadStart) * 1_000_000))
        .put("sentToDeliveredMs", target.times().latency())
        .put("sentToDeliveredMsByKind", byKind)
        .put("lost", lost)
        .put("duplicated", stats.getLong("duplicates"))
        .put("unexpected", unexpected)
        .put("orderViolations", violations)
        .put("lateSwapped", lateSwapped)
        .put("retriedDeliveries", stats.getLong("retriedDeliveries"))
        .put("answered503", stats.getLong("answered503"));
  }
}
