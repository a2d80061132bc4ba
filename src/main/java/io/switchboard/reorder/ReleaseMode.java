package io.switchboard.reorder;

/** When a buffered event may leave ({@code reorder.release}). */
public enum ReleaseMode {
  /**
   * Only once its hold (the lateness bound after its arrival) has run out, or a later event's has: order is the
   * guarantee for everything that arrives within the bound. The default.
   */
  ORDERED,
  /**
   * Also as soon as the lifecycle calls it the expected next step: lowest latency, best-effort order (an
   * optional event that precedes it, such as {@code attributes}, can still be overtaken).
   */
  LIFECYCLE
}
