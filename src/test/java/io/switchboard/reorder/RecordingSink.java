package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Records what a buffer hands over, in order, with the test clock at that moment. */
final class RecordingSink implements ReorderSink {

  /** One hand-over. */
  record Out(PipelineEvent event, boolean early, boolean late, long at) {
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
  public void release(PipelineEvent event, boolean early) {
    out.add(new Out(event, early, false, now));
  }

  @Override
  public boolean late(PipelineEvent event) {
    out.add(new Out(event, false, true, now));
    return passLateOn.test(event);
  }

  List<String> types() {
    return out.stream().map(o -> o.event().conversationId() + ":" + o.event().eventType()
        + (o.early() ? "!" : "") + (o.late() ? "~" : "")).toList();
  }
}
