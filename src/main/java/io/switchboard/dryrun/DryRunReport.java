package io.switchboard.dryrun;

import io.switchboard.config.TargetConfig;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Prints a dry run for people: a line per verdict (unless only the summary is wanted), then a summary table of the
 * verdicts by outcome and reason and of the events each target would receive, by the filter pattern that matched.
 */
final class DryRunReport {

  private static final String ROW = "%-9s %-13s %-15s %-36s %-36s %s";

  private final PrintStream out;
  private final List<TargetConfig> targets;
  private final boolean perEvent;
  private final Tally tally;
  private Progress progress = Progress.NONE;
  private boolean headed;

  /** @param perEvent whether to print a line per verdict, or only the summary */
  DryRunReport(PrintStream out, List<TargetConfig> targets, boolean perEvent) {
    this.out = Objects.requireNonNull(out, "out");
    this.targets = List.copyOf(targets);
    this.perEvent = perEvent;
    this.tally = new Tally(targets.stream().map(TargetConfig::id).toList());
  }

  /** The progress display to keep out of the way of verdict lines. */
  void progress(Progress progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  void flush() {
    out.flush();
  }

  Tally tally() {
    return tally;
  }

  void verdict(EventVerdict verdict) {
    tally.add(verdict);
    if (!perEvent) {
      return;
    }
    progress.beforeOutput();
    if (!headed) {
      headed = true;
      out.println(String.format(Locale.ROOT, ROW, "line", "verdict", "event type", "event id", "conversation",
          "details"));
    }
    out.println(line(verdict));
    progress.afterOutput();
  }

  /** One verdict, in the columns of {@link #ROW}. */
  static String line(EventVerdict verdict) {
    return String.format(Locale.ROOT, ROW, verdict.position(), verdict.outcome().code(), dash(verdict.eventType()),
        dash(verdict.eventId()), dash(verdict.conversationId()), details(verdict)).stripTrailing();
  }

  private static String details(EventVerdict verdict) {
    return switch (verdict.outcome()) {
      case ACCEPTED -> "state " + verdict.state() + (verdict.late() ? ", late (flagged)" : "")
          + (verdict.reason() == null ? "" : ", delivered flagged " + verdict.reason() + ": " + verdict.detail())
          + " -> " + targets(verdict.targets());
      case DUPLICATE -> verdict.reason();
      case DEAD_LETTERED -> verdict.where() + (verdict.late() ? " (late)" : "") + ": " + verdict.detail();
      case IGNORED -> verdict.detail();
      case REFUSED -> "413 " + verdict.reason() + ": " + verdict.detail();
    };
  }

  private static String targets(List<TargetMatch> matches) {
    if (matches.isEmpty()) {
      return "no target";
    }
    return matches.stream().map(m -> m.error() == null ? m.targetId() + " [" + m.pattern() + "]"
        : m.targetId() + " (dead-lettered by its dispatcher: " + m.error() + ")").collect(Collectors.joining(", "));
  }

  private static String dash(String value) {
    return value == null ? "-" : value;
  }

  /** The tables: verdicts by outcome with their reasons, then events per target with the patterns that matched. */
  void summary() {
    out.println();
    out.println(String.format(Locale.ROOT, "%-15s %8s  %s", "verdict", "items", "details"));
    for (EventVerdict.Outcome outcome : EventVerdict.Outcome.values()) {
      String details = counts(tally.reasons(outcome));
      if (outcome == EventVerdict.Outcome.ACCEPTED && tally.late() > 0) {
        details = tally.late() + " late (flagged)" + (details.isEmpty() ? "" : ", " + details);
      }
      out.println(String.format(Locale.ROOT, "%-15s %,8d  %s", outcome.code(), tally.count(outcome), details)
          .stripTrailing());
    }
    out.println(String.format(Locale.ROOT, "%-15s %,8d", "total", tally.items()));
    out.println();
    out.println(String.format(Locale.ROOT, "%-24s %-12s %8s  %s", "target", "type", "events", "by filter pattern"));
    if (tally.targets().isEmpty()) {
      out.println("(no enabled target)");
    }
    tally.targets().forEach((id, count) -> out.println(String.format(Locale.ROOT, "%-24s %-12s %,8d  %s", id,
        typeOf(id), count.events, counts(count.byPattern)
            + (count.errors == 0 ? "" : "; " + count.errors + " its filter could not read")).stripTrailing()));
    out.flush();
  }

  private String typeOf(String id) {
    return targets.stream().filter(t -> t.id().equals(id)).map(TargetConfig::type).findFirst().orElse("-");
  }

  private static String counts(Map<String, Long> counts) {
    return counts.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %,d", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }
}
