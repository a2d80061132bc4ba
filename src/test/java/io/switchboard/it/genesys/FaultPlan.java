package io.switchboard.it.genesys;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The injected failures in force: "the next N requests under a path prefix get this fault", "every request under a
 * prefix gets 429 until a time" (a storm), and "answers under a prefix are delayed by D ms". Rules are consulted
 * in the order they were added; a counted rule is used up one request at a time.
 *
 * <p>Confined to the emulator's context (no locks).
 */
final class FaultPlan {

  private static final class Rule {
    final String prefix;
    final Fault fault;
    final long until; // epoch ms; Long.MAX_VALUE for counted rules
    int remaining;    // Integer.MAX_VALUE for timed rules

    Rule(String prefix, Fault fault, int remaining, long until) {
      this.prefix = prefix;
      this.fault = fault;
      this.remaining = remaining;
      this.until = until;
    }
  }

  private final List<Rule> rules = new ArrayList<>();
  private final Map<String, Long> delays = new HashMap<>();

  void failNext(int count, String pathPrefix, Fault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1");
    }
    rules.add(new Rule(Objects.requireNonNull(pathPrefix), Objects.requireNonNull(fault), count, Long.MAX_VALUE));
  }

  void storm(String pathPrefix, Fault fault, long untilMillis) {
    rules.add(new Rule(Objects.requireNonNull(pathPrefix), Objects.requireNonNull(fault), Integer.MAX_VALUE,
        untilMillis));
  }

  /** Delays answers under the prefix; 0 removes the delay. */
  void delay(String pathPrefix, long millis) {
    if (millis <= 0) {
      delays.remove(pathPrefix);
    } else {
      delays.put(pathPrefix, millis);
    }
  }

  void clear() {
    rules.clear();
    delays.clear();
  }

  /** The fault for this request, using up one count of the rule that matched. */
  Optional<Fault> take(String path, long now) {
    for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
      Rule rule = it.next();
      if (rule.remaining <= 0 || now >= rule.until) {
        it.remove();
      } else if (path.startsWith(rule.prefix)) {
        if (rule.remaining != Integer.MAX_VALUE) {
          rule.remaining--;
        }
        return Optional.of(rule.fault);
      }
    }
    return Optional.empty();
  }

  /** The longest delay whose prefix matches, or 0. */
  long delayFor(String path) {
    long delay = 0;
    for (Map.Entry<String, Long> entry : delays.entrySet()) {
      if (path.startsWith(entry.getKey())) {
        delay = Math.max(delay, entry.getValue());
      }
    }
    return delay;
  }
}
