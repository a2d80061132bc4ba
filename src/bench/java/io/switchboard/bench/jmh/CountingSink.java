package io.switchboard.bench.jmh;

import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.ReleaseCause;
import io.switchboard.reorder.ReorderSink;

/**
 * A {@link ReorderSink} that counts what leaves the buffer and passes late events on, as the reorder stage does
 * with {@code reorder.lateEvents: "flag"}.
 */
final class CountingSink implements ReorderSink {

  long released;
  long early;
  long late;

  @Override
  public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
    released++;
    if (cause.early()) {
      this.early++;
    }
  }

  @Override
  public boolean late(PipelineEvent event, long delayMillis) {
    late++;
    return true;
  }

  long total() {
    return released + late;
  }
}
