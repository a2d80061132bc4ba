package io.switchboard.dryrun;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts a dry run's verdicts: by outcome and reason, and per target by matched pattern. */
final class Tally {

  /** One target's count: events matched, by pattern name, and filter errors. */
  static final class TargetCount {
    long events;
    long errors;
    final Map<String, Long> byPattern = new LinkedHashMap<>();
  }

  private final Map<EventVerdict.Outcome, Long> byOutcome = new EnumMap<>(EventVerdict.Outcome.class);
  /** Per outcome, by {@link EventVerdict#where()}; sorted so that the summary reads the same run after run. */
  private final Map<EventVerdict.Outcome, Map<String, Long>> byReason = new EnumMap<>(EventVerdict.Outcome.class);
  private final Map<String, TargetCount> byTarget = new LinkedHashMap<>();
  private long late;
  private long items;

  /** @param targetIds the enabled targets, in config order: each gets a row even when nothing matches it */
  Tally(List<String> targetIds) {
    targetIds.forEach(id -> byTarget.put(id, new TargetCount()));
  }

  void add(EventVerdict verdict) {
    items++;
    byOutcome.merge(verdict.outcome(), 1L, Long::sum);
    if (verdict.reason() != null) {
      byReason.computeIfAbsent(verdict.outcome(), o -> new TreeMap<>()).merge(verdict.where(), 1L, Long::sum);
    }
    if (verdict.late() && verdict.outcome() == EventVerdict.Outcome.ACCEPTED) {
      late++;
    }
    for (TargetMatch match : verdict.targets()) {
      TargetCount count = byTarget.computeIfAbsent(match.targetId(), id -> new TargetCount());
      if (match.error() != null) {
        count.errors++;
      } else {
        count.events++;
        count.byPattern.merge(match.pattern(), 1L, Long::sum);
      }
    }
  }

  long items() {
    return items;
  }

  long count(EventVerdict.Outcome outcome) {
    return byOutcome.getOrDefault(outcome, 0L);
  }

  /** Reasons of one outcome ({@code validate/schema_invalid} → count), sorted. */
  Map<String, Long> reasons(EventVerdict.Outcome outcome) {
    return byReason.getOrDefault(outcome, Map.of());
  }

  /** Accepted events delivered flagged late. */
  long late() {
    return late;
  }

  Map<String, TargetCount> targets() {
    return byTarget;
  }
}
