package io.switchboard.message;

/**
 * Tells the admitting source that one part of an event's journey ended. An event settles once all its
 * parts have reported: one part when it ends before dispatch (duplicate, dead letter), one per target
 * after dispatch.
 *
 * @param seq     the {@link Ticket#seq()} of the event
 * @param parts   how many reports settle this event in total
 * @param outcome what happened in this part
 */
public record Settlement(long seq, int parts, Outcome outcome) {

  /**
   * How one part of an event's journey ended. {@code PARKED} counts as settled: the event is durably
   * stored in its target's park log and will be redriven from there, surviving a restart.
   */
  public enum Outcome { DELIVERED, FILTERED, DUPLICATE, DEAD_LETTERED, PARKED }
}
