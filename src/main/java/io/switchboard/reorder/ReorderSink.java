package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

/**
 * Where a {@link ReorderBuffer} hands its events, synchronously, on the buffer's thread. Implementations must
 * not call back into the buffer and should not throw (an exception propagates to the caller of
 * {@code offer}/{@code advance}; the event counts as handed over and the buffer stays consistent).
 */
public interface ReorderSink {

  /**
   * An event leaves the buffer in order for its conversation.
   *
   * @param cause      why now; when {@link ReleaseCause#early()}, an event arriving later with an earlier time
   *                   will be late
   * @param heldMillis how long it waited in the buffer (arrival to release)
   */
  void release(PipelineEvent event, ReleaseCause cause, long heldMillis);

  /**
   * An event arrived after a later event of its conversation was released; it is already marked
   * {@link PipelineEvent#late()}. The sink decides whether to pass it on flagged or to dead-letter it.
   *
   * @param delayMillis how long after the first-arrived later event of its conversation it arrived (a lower bound
   *                    when that event was released long ago)
   * @return {@code true} if it was passed on, so the conversation's oracle must account for it
   */
  boolean late(PipelineEvent event, long delayMillis);
}
