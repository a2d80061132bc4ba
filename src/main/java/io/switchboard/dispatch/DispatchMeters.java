package io.switchboard.dispatch;

/** What a {@link TargetDispatcher} counts; the verticle records it in Micrometer, tests may ignore it. */
public interface DispatchMeters {

  DispatchMeters NONE = new DispatchMeters() {
  };

  /** An event reached the target, {@code endToEndMillis} after it was ingested. */
  default void delivered(long endToEndMillis) {
  }

  /** An attempt failed and will be retried. */
  default void retried() {
  }

  default void deadLettered() {
  }

  /** The target's filter left an event out. */
  default void filtered() {
  }

  /** One attempt (a batch) took {@code nanos}. */
  default void attempted(long nanos) {
  }
}
