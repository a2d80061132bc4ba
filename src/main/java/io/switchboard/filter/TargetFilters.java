package io.switchboard.filter;

import io.vertx.core.json.JsonObject;
import software.amazon.event.ruler.GenericMachine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Every target's filter in one Event Ruler machine, so that an event is parsed once for all of them instead of
 * once per target. The answer is, per target, the same as its own {@link EventFilter} gives: the first of its
 * patterns in config order that matches, {@value EventFilter#ALL} when it has no filter, or {@code null} when it
 * leaves the event out.
 *
 * <p>Why: a filter's cost is almost all Ruler tokenizing the document (the envelope with the snapshot spliced
 * in); with two filtered targets that was some 15 % of the event loops' CPU at full load (BENCHMARKS.md). Built
 * once; each state verticle instance builds its own, as each dispatcher does with its filter (see
 * {@link EventFilter} on thread confinement).
 */
public final class TargetFilters {

  /** Null when no target has a pattern: then no document is ever built. */
  private final GenericMachine<Integer> machine;
  private final int targets;
  /** Per rule: the target it belongs to and the name it is reported by. */
  private final int[] targetOfRule;
  private final String[] nameOfRule;
  private final boolean[] matchesAll;

  private TargetFilters(GenericMachine<Integer> machine, int targets, List<Integer> targetOfRule,
                        List<String> nameOfRule, boolean[] matchesAll) {
    this.machine = machine;
    this.targets = targets;
    this.targetOfRule = targetOfRule.stream().mapToInt(Integer::intValue).toArray();
    this.nameOfRule = nameOfRule.toArray(new String[0]);
    this.matchesAll = matchesAll;
  }

  /**
   * @param filters each target's {@code filter} object, in target order (empty or {@code null}: no filter)
   * @param paths   where each sits in the config, for errors
   * @throws InvalidFilterException naming the path at fault
   */
  public static TargetFilters of(List<JsonObject> filters, List<String> paths) {
    if (filters.size() != paths.size()) {
      throw new IllegalArgumentException(filters.size() + " filters but " + paths.size() + " paths");
    }
    GenericMachine<Integer> machine = null;
    List<Integer> targetOfRule = new ArrayList<>();
    List<String> nameOfRule = new ArrayList<>();
    boolean[] matchesAll = new boolean[filters.size()];
    for (int target = 0; target < filters.size(); target++) {
      List<EventFilter.NamedPattern> patterns = EventFilter.patterns(filters.get(target), paths.get(target));
      if (patterns.isEmpty()) {
        matchesAll[target] = true;
        continue;
      }
      if (machine == null) {
        machine = EventFilter.newMachine();
      }
      for (EventFilter.NamedPattern pattern : patterns) {
        // Rule ids grow in target order, then config order: the smallest matched id of a target is its first match.
        EventFilter.add(machine, targetOfRule.size(), pattern.pattern(), pattern.path(), false);
        targetOfRule.add(target);
        nameOfRule.add(pattern.name());
      }
    }
    return new TargetFilters(machine, filters.size(), targetOfRule, nameOfRule, matchesAll);
  }

  /** Whether some target has a pattern (else every event goes to every target and nothing is parsed). */
  public boolean filtersAnything() {
    return machine != null;
  }

  /**
   * Per target, the name of the pattern that selects the event, or {@code null} when it leaves it out.
   *
   * @param document builds the {@link FilterInput#compose} document; only called when some target has a pattern
   * @throws IllegalArgumentException if the document is not JSON
   */
  public String[] match(Supplier<String> document) {
    String[] matched = new String[targets];
    for (int target = 0; target < targets; target++) {
      if (matchesAll[target]) {
        matched[target] = EventFilter.ALL;
      }
    }
    if (machine == null) {
      return matched;
    }
    String json = Objects.requireNonNull(document.get(), "document");
    List<Integer> rules;
    try {
      rules = machine.rulesForJSONEvent(json);
    } catch (Exception e) {
      throw new IllegalArgumentException("event is not valid JSON: " + EventFilter.reason(e), e);
    }
    int[] first = new int[targets];
    java.util.Arrays.fill(first, Integer.MAX_VALUE);
    for (Integer rule : rules) {
      int target = targetOfRule[rule];
      first[target] = Math.min(first[target], rule);
    }
    for (int target = 0; target < targets; target++) {
      if (first[target] != Integer.MAX_VALUE) {
        matched[target] = nameOfRule[first[target]];
      }
    }
    return matched;
  }
}
