package io.switchboard.state;

import io.switchboard.message.DeadLetter;

import java.util.Objects;

/** What the lifecycle made of one event: applied (possibly without a state change) or rejected. */
public sealed interface Transition permits Transition.Applied, Transition.Rejected {

  /**
   * The event was accepted and recorded.
   *
   * @param from         state before
   * @param to           state after (equal to {@code from} when nothing moved)
   * @param stageChanged the state changed, so the stage count went up by one
   * @param outOfBand    no transition applied: an out-of-band type, or a late event with no matching transition
   */
  record Applied(String from, String to, boolean stageChanged, boolean outOfBand) implements Transition {

    public Applied {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * The event breaks the lifecycle and must be dead-lettered; nothing was recorded.
   *
   * @param reason {@link DeadLetter.Reason#INVALID_TRANSITION} or {@link DeadLetter.Reason#STAGE_CAP_EXCEEDED}
   * @param why    precise, human-readable, e.g. {@code acd.start not allowed in state closed}
   */
  record Rejected(DeadLetter.Reason reason, String why) implements Transition {

    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(why, "why");
    }
  }
}
