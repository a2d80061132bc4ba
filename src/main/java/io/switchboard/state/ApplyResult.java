package io.switchboard.state;

import io.switchboard.message.Violation;

import java.util.Objects;

/**
 * The state stage's answer for one event.
 *
 * @param transition    what the lifecycle made of it; a {@link Transition.Rejected} is dead-lettered unless
 *                      {@code flagged}
 * @param state         the conversation's state after it (unchanged when rejected)
 * @param stage         the stage count after it
 * @param terminal      {@code state} is terminal
 * @param adoptedMidway this event adopted its conversation mid-way (its first lifecycle event, not a start)
 * @param flagged       rejected, but recorded and to be delivered with its violation
 *                      ({@link StateSettings#flagViolations()})
 */
public record ApplyResult(Transition transition, String state, int stage, boolean terminal, boolean adoptedMidway,
                          boolean flagged) {

  public ApplyResult {
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(state, "state");
    if (flagged && !(transition instanceof Transition.Rejected)) {
      throw new IllegalArgumentException("only a rejected event can be flagged");
    }
  }

  public boolean applied() {
    return transition instanceof Transition.Applied;
  }

  /** Goes on to the targets: applied, or flagged. */
  public boolean delivered() {
    return applied() || flagged;
  }

  /** The violation a flagged event is delivered with, else {@code null}. */
  public Violation violation() {
    return flagged && transition instanceof Transition.Rejected rejected
        ? new Violation(rejected.reason(), rejected.why()) : null;
  }
}
