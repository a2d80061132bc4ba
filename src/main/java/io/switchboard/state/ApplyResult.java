package io.switchboard.state;

import java.util.Objects;

/**
 * The state stage's answer for one event.
 *
 * @param transition what the lifecycle made of it; a {@link Transition.Rejected} goes to the dead-letter queue
 * @param state      the conversation's state after it (unchanged when rejected)
 * @param stage      the stage count after it
 * @param terminal   {@code state} is terminal
 */
public record ApplyResult(Transition transition, String state, int stage, boolean terminal) {

  public ApplyResult {
    Objects.requireNonNull(transition, "transition");
    Objects.requireNonNull(state, "state");
  }

  public boolean applied() {
    return transition instanceof Transition.Applied;
  }
}
