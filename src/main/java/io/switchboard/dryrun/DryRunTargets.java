package io.switchboard.dryrun;

import io.switchboard.config.TargetConfig;
import io.switchboard.dispatch.EventSelection;
import io.switchboard.dispatch.TargetTypes;
import io.switchboard.filter.FilterInput;
import io.switchboard.filter.TargetFilters;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The enabled targets' side of a dry run, with the classes the server uses: every filter at once through
 * {@link TargetFilters} (as the state stage matches), and each target's {@link EventSelection} for its payload shape.
 * Nothing is queued or sent.
 */
final class DryRunTargets {

  private final List<TargetConfig> targets;
  private final TargetFilters filters;
  private final List<EventSelection> selections = new ArrayList<>();
  private final boolean snapshots;

  DryRunTargets(List<TargetConfig> targets) {
    this.targets = List.copyOf(targets);
    this.filters = TargetFilters.of(targets.stream().map(t -> t.filterNode().json()).toList(),
        targets.stream().map(t -> t.filterNode().path()).toList());
    for (TargetConfig target : targets) {
      selections.add(new EventSelection(target, TargetTypes.BUILT_IN.of(target).orderingKey(target)));
    }
    this.snapshots = targets.stream().anyMatch(TargetTypes.BUILT_IN::readsSnapshot);
  }

  boolean isEmpty() {
    return targets.isEmpty();
  }

  /** Whether a target reads the conversation snapshot; without one the server takes none (and filters see none). */
  boolean readsSnapshot() {
    return snapshots;
  }

  /**
   * The targets that select {@code processed}, in config order; each one's shaped payload goes to {@code payloads}
   * (target id, body as it would be sent).
   */
  List<TargetMatch> route(ProcessedEvent processed, BiConsumer<String, Buffer> payloads) {
    String[] matched;
    try {
      matched = filters.match(() -> filterDocument(processed));
    } catch (RuntimeException e) {
      return eachOnItsOwn(processed, payloads);
    }
    int parts = (int) Arrays.stream(matched).filter(Objects::nonNull).count();
    List<TargetMatch> matches = new ArrayList<>(parts);
    for (int i = 0; i < matched.length; i++) {
      if (matched[i] != null) {
        matches.add(ship(i, processed.forTarget(matched[i], parts), matched[i], payloads));
      }
    }
    return matches;
  }

  /** What every target's filter reads: the envelope with the pipeline's metadata and the snapshot spliced in. */
  private static String filterDocument(ProcessedEvent processed) {
    PipelineEvent event = processed.event();
    return FilterInput.compose(event.payload(), processed.snapshot(), event.eventType(), event.late());
  }

  /** As each dispatcher does when the state stage could not match: its own filter, or a dead letter of its own. */
  private List<TargetMatch> eachOnItsOwn(ProcessedEvent processed, BiConsumer<String, Buffer> payloads) {
    List<TargetMatch> matches = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      Optional<String> pattern;
      try {
        pattern = selections.get(i).match(processed);
      } catch (RuntimeException e) {
        matches.add(new TargetMatch(targets.get(i).id(), null, "internal_error: filter could not read the event: "
            + e.getMessage()));
        continue;
      }
      if (pattern.isPresent()) {
        matches.add(ship(i, processed, pattern.get(), payloads));
      }
    }
    return matches;
  }

  private TargetMatch ship(int target, ProcessedEvent processed, String pattern, BiConsumer<String, Buffer> payloads) {
    String id = targets.get(target).id();
    payloads.accept(id, selections.get(target).delivery(processed, pattern).body());
    return new TargetMatch(id, pattern, null);
  }
}
