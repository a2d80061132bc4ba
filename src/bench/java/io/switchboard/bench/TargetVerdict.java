package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.function.Predicate;

/**
 * Judges one sink target against what was sent: delivered, lost, unexpected, duplicated (same idempotency key
 * accepted twice), throughput, sent→delivered latency (overall, by conversation kind, and for the conversations the
 * generator sent in order), and order.
 *
 * <p>Every delivery whose eventTime is below that of an earlier delivery of its conversation is an order violation,
 * always: how it was sent, and whether the server flagged it late, hide none. The violations are then broken down,
 * never subtracted: {@code violationsBeyondBound} arrived at the server, by the generator's own clock, more than the
 * server's lateness bound after a later event of their conversation ({@link ArrivalGaps}); the rest,
 * {@code violationsWithinBound}, are events the server had to deliver in order and did not. With no bound known
 * every violation is within it.
 */
final class TargetVerdict {

  private TargetVerdict() {
  }

  /**
   * @param kinds       every expected envelope id and the kind of its conversation
   * @param inOrder     envelope ids of the conversations the generator sent entirely in order
   * @param gaps        how late each event reached the server
   * @param boundMillis the server's lateness bound for this run; {@code null} when it reported none
   * @param loadStart   epoch ms when sending began: delivered/s is measured from there to the last delivery
   */
  static JsonObject of(SinkTarget.Snapshot target, Map<String, ConversationKind> kinds, Predicate<String> inOrder,
                       ArrivalGaps gaps, Long boundMillis, long loadStart) {
    JsonObject stats = target.stats();
    long lost = kinds.keySet().stream().filter(id -> !target.envelopeIds().contains(id)).count();
    long unexpected = target.envelopeIds().stream().filter(id -> !kinds.containsKey(id)).count();
    long violations = stats.getLong("orderViolations");
    long beyond = 0;
    long near = 0;
    Latencies gapLow = new Latencies();
    for (String id : target.violationIds()) {
      ArrivalGaps.Gap gap = gaps.gap(id);
      if (gap == null) {
        continue; // not a planned event, or never sent: nothing proves it late
      }
      if (gap.low() != Long.MIN_VALUE) {
        gapLow.add(gap.low());
      }
      if (boundMillis != null && gap.beyond(boundMillis)) {
        beyond++;
      } else if (boundMillis != null && gap.high() > boundMillis) {
        near++;
      }
    }
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
        .put("sentToDeliveredMsInOrder", target.times().latency(Long.MIN_VALUE, Long.MAX_VALUE, inOrder))
        .put("sentToDeliveredMsByKind", byKind)
        .put("lost", lost)
        .put("duplicated", stats.getLong("duplicates"))
        .put("unexpected", unexpected)
        .put("orderViolations", violations)
        .put("violationsWithinBound", violations - beyond)
        .put("violationsBeyondBound", beyond)
        .put("violationsNearBound", near)
        .put("violationsFlaggedLate", stats.getLong("violationsFlaggedLate"))
        .put("flaggedLate", stats.getLong("flaggedLate"))
        .put("violationGapMs", gapLow.summary(1))
        .put("retriedDeliveries", stats.getLong("retriedDeliveries"))
        .put("answered503", stats.getLong("answered503"));
  }
}
