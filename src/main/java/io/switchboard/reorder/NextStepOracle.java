package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

/**
 * Per-conversation knowledge of what the lifecycle expects next. The reorder buffer owns one oracle per
 * buffered conversation and asks it whether an event may be released at once (it is the expected next
 * step) or must wait, because an earlier event may still be on its way.
 */
public interface NextStepOracle {

  /** {@code true} if {@code event} may be released now without waiting for the lateness window. */
  boolean isExpectedNext(PipelineEvent event);

  /** Records that {@code event} was released downstream (in order, or late). */
  void onReleased(PipelineEvent event);

  /** {@code true} once the conversation's lifecycle has ended. */
  boolean isFinished();
}
