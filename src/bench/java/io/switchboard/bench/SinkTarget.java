package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one sink target has seen: every request it answered, and of the deliveries it accepted (2xx) the
 * idempotency keys, envelope ids, per-conversation eventTime order, late flags and send/delivery instants. Owned by
 * the sink's single event loop; readers get copies made on that loop.
 *
 * <p>An order violation is a delivery whose eventTime is below that of an earlier delivery of its conversation,
 * whatever else is true of it: flagged late or not, sent out of order or not. How late it was is for the verdict to
 * say ({@link TargetVerdict}), not a reason to leave it out.
 */
final class SinkTarget {

  /** Order violations recorded by envelope id, at most this many (the count goes on). */
  private static final int MAX_VIOLATION_IDS = 100_000;

  final String id;
  long requests;
  long accepted;
  long answered503;
  long unreadable;
  long retriedDeliveries;
  long duplicates;
  long orderViolations;
  long flaggedLate;
  long violationsFlaggedLate;
  long firstAcceptedAt = Long.MIN_VALUE;
  long lastAcceptedAt = Long.MIN_VALUE;
  private final Set<String> keys = new HashSet<>();
  private final Set<String> envelopeIds = new HashSet<>();
  private final Map<String, Long> lastEventTime = new HashMap<>();
  private final List<String> violationIds = new ArrayList<>();
  private final DeliveryTimes times = new DeliveryTimes();

  SinkTarget(String id) {
    this.id = id;
  }

  /**
   * Records an accepted delivery.
   *
   * @param key            the idempotency key ({@code X-Event-Id}); {@code null} when the header is missing
   * @param conversationId {@code X-Switchboard-Conversation-Id}; {@code null} when missing
   * @param attempt        {@code X-Switchboard-Attempt}, 1 for a first attempt
   * @param late           {@code X-Switchboard-Late: true}: the server says the event came too late to be ordered
   */
  void accepted(String key, String conversationId, int attempt, boolean late, EnvelopeFields fields, long now) {
    accepted++;
    if (late) {
      flaggedLate++;
    }
    if (firstAcceptedAt == Long.MIN_VALUE) {
      firstAcceptedAt = now;
    }
    lastAcceptedAt = now;
    if (attempt > 1) {
      retriedDeliveries++;
    }
    if (key != null && !keys.add(key)) {
      duplicates++;
    }
    if (fields.id() != null) {
      envelopeIds.add(fields.id());
    }
    if (conversationId != null && fields.eventTime() != EnvelopeFields.NONE) {
      Long previous = lastEventTime.get(conversationId);
      if (previous != null && fields.eventTime() < previous) {
        orderViolations++;
        if (late) {
          violationsFlaggedLate++;
        }
        if (violationIds.size() < MAX_VIOLATION_IDS) {
          violationIds.add(fields.id() == null ? "?" : fields.id());
        }
      } else {
        lastEventTime.put(conversationId, fields.eventTime());
      }
    }
    if (fields.sentAt() != EnvelopeFields.NONE) {
      times.add(fields.sentAt(), now, fields.id());
    }
  }

  int distinctEvents() {
    return envelopeIds.size();
  }

  /** The counters and the overall latency, as {@code GET /stats} shows them. */
  JsonObject stats() {
    return new JsonObject()
        .put("requests", requests)
        .put("accepted", accepted)
        .put("distinctEvents", envelopeIds.size())
        .put("duplicates", duplicates)
        .put("orderViolations", orderViolations)
        .put("flaggedLate", flaggedLate)
        .put("violationsFlaggedLate", violationsFlaggedLate)
        .put("answered503", answered503)
        .put("unreadable", unreadable)
        .put("retriedDeliveries", retriedDeliveries)
        .put("firstAcceptedAt", firstAcceptedAt == Long.MIN_VALUE ? null : firstAcceptedAt)
        .put("lastAcceptedAt", lastAcceptedAt == Long.MIN_VALUE ? null : lastAcceptedAt)
        .put("sentToDeliveredMs", times.latency())
        .put("violationIds", new JsonArray(violationIds.subList(0, Math.min(20, violationIds.size()))));
  }

  /** A copy for analysis off the event loop. */
  Snapshot snapshot() {
    return new Snapshot(id, stats(), Set.copyOf(envelopeIds), List.copyOf(violationIds), times.copy());
  }

  /**
   * One target's state at a moment, detached from the sink.
   *
   * @param violationIds envelope ids of the deliveries whose eventTime went backwards in their conversation
   */
  record Snapshot(String target, JsonObject stats, Set<String> envelopeIds, List<String> violationIds,
                  DeliveryTimes times) {
  }
}
