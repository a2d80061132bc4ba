package io.switchboard.state;

import io.switchboard.message.PipelineEvent;

/**
 * Where a conversation first seen mid-way (after a deployment, a restart or a shard move) most likely is, read
 * from the lifecycle definition alone: no event type is named here.
 *
 * <p>The first transition declared for the event's type whose guards hold (on this event, and on the session
 * picture with the event's own session adopted) gives the state, with two refinements:
 * <ul>
 *   <li>Transitions into the initial or a terminal state are skipped. The view is partial, so "every session is
 *       closed" cannot be trusted: closing on the first event seen would reject the trailing legs Genesys still
 *       sends for sessions that predate our view, and the conversation closes on a later event anyway.</li>
 *   <li>A transition that stays where it is ({@code "to": "*"}) says only that the event is valid there. Then the
 *       type it {@code requires} is asked instead (an {@code acd.end} that answered nothing still means the
 *       conversation was queued; an {@code acw} means its agent had left), provided that state is one the staying
 *       transition applies in; failing that, its earliest non-initial state in progress order, which claims the
 *       least progress and so leaves the most transitions open to the events that follow.</li>
 * </ul>
 */
final class MidwayInference {

  private MidwayInference() {
  }

  /** The inferred state index, or -1 when no transition of the type can lead anywhere but initial or terminal. */
  static int infer(LifecycleDefinition definition, EventRule rule, PipelineEvent event, Facts facts) {
    return infer(definition, rule, event, facts, 0);
  }

  private static int infer(LifecycleDefinition definition, EventRule rule, PipelineEvent event, Facts facts,
      int depth) {
    for (TransitionRule transition : rule.transitions()) {
      if (!transition.accepts(event, facts)) {
        continue;
      }
      if (transition.to() != TransitionRule.STAY) {
        if (usable(definition, transition.to())) {
          return transition.to();
        }
        continue;
      }
      // 'requires' may form a cycle in a custom definition: the depth bounds the walk.
      if (rule.requires() >= 0 && depth < DefinitionParser.MAX_EVENT_TYPES) {
        int earlier = infer(definition, definition.rule(rule.requires()), event, facts, depth + 1);
        if (earlier >= 0 && transition.appliesIn(earlier)) {
          return earlier;
        }
      }
      for (int state = 0; state < definition.stateCount(); state++) {
        if (transition.appliesIn(state) && usable(definition, state)) {
          return state;
        }
      }
    }
    return -1;
  }

  private static boolean usable(LifecycleDefinition definition, int state) {
    return state != definition.initialIndex() && !definition.isTerminal(state);
  }
}
