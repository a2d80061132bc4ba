package io.switchboard.dispatch;

import io.switchboard.message.DeadLetter.Reason;

import java.util.Objects;

/** What a dispatcher does after an attempt: nothing more, try again at a given time, or dead-letter. */
public sealed interface Decision {

  /** Delivered. */
  record Success() implements Decision {
  }

  /** Try again at {@code atMillis} (epoch millis); {@code why} is for logs and diagnostics. */
  record RetryAt(long atMillis, String why) implements Decision {
    public RetryAt {
      Objects.requireNonNull(why, "why");
    }
  }

  /**
   * Give up on the event. The reason is the dead-letter record's own code, so the dispatcher passes it on
   * unchanged: {@link Reason#DELIVERY_REJECTED} when the target refused it for good,
   * {@link Reason#RETRIES_EXHAUSTED} when attempts or event age ran out ({@code why} says which).
   */
  record DeadLetter(Reason reason, String why) implements Decision {
    public DeadLetter {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(why, "why");
      if (reason != Reason.DELIVERY_REJECTED && reason != Reason.RETRIES_EXHAUSTED) {
        throw new IllegalArgumentException("not a delivery reason: " + reason);
      }
    }
  }
}
