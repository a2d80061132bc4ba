package io.switchboard.state;

import io.switchboard.message.PipelineEvent;

import java.util.List;

/**
 * One row of the transition table.
 *
 * @param index position in {@code transitions}, for messages
 * @param from  bit set of the state indexes it applies in
 * @param to    target state index, or {@link #STAY}
 * @param hold  valid but not the expected next step: the reorder stage waits for what it skips
 */
record TransitionRule(int index, long from, int to, List<Guard> guards, boolean hold) {

  /** Target meaning "remain in the current state". */
  static final int STAY = -1;

  TransitionRule {
    guards = List.copyOf(guards);
  }

  boolean matches(int state, PipelineEvent event, Facts facts) {
    return appliesIn(state) && accepts(event, facts);
  }

  boolean appliesIn(int state) {
    return (from & (1L << state)) != 0;
  }

  /** The guards hold, whatever the state. */
  boolean accepts(PipelineEvent event, Facts facts) {
    for (Guard guard : guards) {
      if (!guard.test(event, facts)) {
        return false;
      }
    }
    return true;
  }

  int target(int state) {
    return to == STAY ? state : to;
  }
}
