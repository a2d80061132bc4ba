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
   * @param early {@code true} if it left before its order was settled, i.e. neither the oracle accepted it nor
   *              its hold deadline passed: a per-conversation overflow, a conversation evicted by the cap, or
   *              {@link ReorderBuffer#flushAll()}. An event arriving later with an earlier time will be late.
   */
  void release(PipelineEvent event, boolean early);

  /**
   * An event arrived after a later event of its conversation was released; it is already marked
   * {@link PipelineEvent#late()}. The sink decides whether to pass it on flagged or to dead-letter it.
   *
   * @return {@code true} if it was passed on, so the conversation's oracle must account for it
   */
  boolean late(PipelineEvent event);
}
