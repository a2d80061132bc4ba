package io.switchboard.state;

import java.util.List;
import java.util.Objects;

/**
 * The session rule of one declared event type, and the transitions listed for it in config order.
 *
 * @param index      bit position of this type in a session's seen-types mask
 * @param opens      role of the session it opens, or {@code null}
 * @param closes     role of the session it closes, or {@code null}
 * @param requires   index of the type that must already have been seen in the same session, or -1
 * @param wrapsUp    it completes an ended agent session's after-call work
 * @param recorded   it leaves a mark in the session table (some rule depends on having seen it)
 */
record EventRule(
    String type,
    int index,
    Role opens,
    Role closes,
    int requires,
    String requiresType,
    boolean wrapsUp,
    boolean recorded,
    List<TransitionRule> transitions) {

  EventRule {
    Objects.requireNonNull(type, "type");
    transitions = List.copyOf(transitions);
  }

  /** The role of the participant sending it, inferred from the event family; {@code null} if none. */
  Role role() {
    if (opens != null) {
      return opens;
    }
    if (closes != null) {
      return closes;
    }
    return wrapsUp ? Role.AGENT : null;
  }
}
