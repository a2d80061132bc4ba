package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A fake oracle expecting a scripted order of event types; a released type moves the expectation past its
 * next occurrence in the script. Finished once the script is exhausted (an empty script never expects and
 * never finishes, which makes the buffer rely on deadlines alone).
 */
final class ScriptedOracle implements NextStepOracle {

  private final List<String> script;
  private int next;
  final List<PipelineEvent> released = new ArrayList<>();

  ScriptedOracle(List<String> script) {
    this.script = List.copyOf(script);
  }

  @Override
  public boolean isExpectedNext(PipelineEvent event) {
    return next < script.size() && script.get(next).equals(event.eventType());
  }

  @Override
  public void onReleased(PipelineEvent event) {
    released.add(event);
    int at = script.subList(next, script.size()).indexOf(event.eventType());
    if (at >= 0) {
      next += at + 1;
    }
  }

  @Override
  public boolean isFinished() {
    return !script.isEmpty() && next == script.size();
  }
}
