package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Judges what the file target holds against what was sent: delivered, lost, duplicated and unexpected events,
 * late events, per-conversation order violations, throughput and latency percentiles. Every line whose eventTime is
 * below that of an earlier line of its conversation is an order violation, flagged late or not; how many of them
 * were flagged is said apart.
 */
final class DeliveryReport {

  private DeliveryReport() {
  }

  /** @param kinds conversation id to kind, for per-kind latency */
  static JsonObject of(List<DeliveredLine> lines, Collection<String> expectedIds,
                       Map<String, ConversationKind> kinds) {
    Map<String, Integer> copies = new HashMap<>();
    Map<String, Long> lastInOrder = new HashMap<>();
    Latencies ingestToDelivered = new Latencies();
    Latencies sentToDelivered = new Latencies();
    Map<ConversationKind, Latencies> byKind = new EnumMap<>(ConversationKind.class);
    long late = 0;
    long violations = 0;
    long violationsFlaggedLate = 0;
    long firstIngested = Long.MAX_VALUE;
    long lastProcessed = Long.MIN_VALUE;
    for (DeliveredLine line : lines) {
      copies.merge(line.eventId(), 1, Integer::sum);
      long latency = line.processedAt() - line.ingestedAt();
      ingestToDelivered.add(latency);
      ConversationKind kind = kinds.get(line.conversationId());
      if (kind != null) {
        byKind.computeIfAbsent(kind, k -> new Latencies()).add(latency);
      }
      if (line.sentAt() != DeliveredLine.NO_SENT_AT) {
        sentToDelivered.add(line.processedAt() - line.sentAt());
      }
      firstIngested = Math.min(firstIngested, line.ingestedAt());
      lastProcessed = Math.max(lastProcessed, line.processedAt());
      if (line.late()) {
        late++;
      }
      Long previous = lastInOrder.get(line.conversationId());
      if (previous != null && line.eventTime() < previous) {
        violations++;
        violationsFlaggedLate += line.late() ? 1 : 0;
      } else {
        lastInOrder.put(line.conversationId(), line.eventTime());
      }
    }
    Set<String> expected = new HashSet<>(expectedIds);
    long lost = expected.stream().filter(id -> !copies.containsKey(id)).count();
    long duplicated = copies.values().stream().filter(n -> n > 1).count();
    long unexpected = copies.keySet().stream().filter(id -> !expected.contains(id)).count();
    long spanMillis = lines.isEmpty() ? 0 : lastProcessed - firstIngested;

    JsonObject kindLatency = new JsonObject();
    byKind.forEach((kind, values) -> kindLatency.put(kind.label(), values.summary(1)));
    return new JsonObject()
        .put("delivered", lines.size())
        .put("deliveredPerSec", spanMillis == 0 ? 0 : Rates.perSecond(lines.size(), spanMillis * 1_000_000))
        .put("deliverySpanMs", spanMillis)
        .put("ingestToDeliveredMs", ingestToDelivered.summary(1))
        .put("sentToDeliveredMs", sentToDelivered.summary(1))
        .put("ingestToDeliveredMsByKind", kindLatency)
        .put("lost", lost)
        .put("duplicated", duplicated)
        .put("unexpected", unexpected)
        .put("late", late)
        .put("orderViolations", violations)
        .put("violationsFlaggedLate", violationsFlaggedLate);
  }
}
