package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what a buffer hands over, in order, with the test clock at that moment. */
final class RecordingSink implements ReorderSink {

  /** One hand-over. */
  record Out(PipelineEvent event, ReleaseCause cause, long held, boolean late, long at) {
    boolean early() {
      return cause != null && cause.early();
    }
  }

  final List<Out> out = new ArrayList<>();
  long now;
  private final Predicate<PipelineEvent> passLateOn;

  RecordingSink() {
    this(event -> true);
  }

  RecordingSink(Predicate<PipelineEvent> passLateOn) {
    this.passLateOn = passLateOn;
  }

  @Override
  public void release(PipelineEvent event, ReleaseCause cause, long heldMillis) {
    out.add(new Out(event, cause, heldMillis, false, now));
  }

  @Override
  public boolean late(PipelineEvent event, long delayMillis) {
    out.add(new Out(event, null, delayMillis, true, now));
    return passLateOn.test(event);
  }

  List<String> types() {
    return out.stream().map(o -> o.event().conversationId() + ":" + o.event().eventType()
        + (o.early() ? "!" : "") + (o.late() ? "~" : "")).toList();
  }
}
