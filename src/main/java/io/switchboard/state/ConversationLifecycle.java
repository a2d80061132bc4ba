package io.switchboard.state;

import io.switchboard.message.DeadLetter.Reason;
import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.NextStepOracle;
import io.switchboard.state.Transition.Applied;
import io.switchboard.state.Transition.Rejected;

import java.util.Arrays;
import java.util.Objects;

/**
 * The compact lifecycle tracker of one conversation: its state, stage count and session table, validated
 * against a {@link LifecycleDefinition}. Both the reorder stage (as its {@link NextStepOracle}) and the state
 * stage keep one per open conversation, so it holds no strings of its own: the state is an index into the
 * definition, each session is its id as two {@code long}s plus one {@code int} of flags (role, opened,
 * closed, after-call work done, and a bit per event type seen): 40 bytes plus ~20 per session, 176 bytes
 * measured for the voice sample's four sessions (see {@link Conversation} for how).
 *
 * <p>Rules, in order: an out-of-band type (listed, or not declared) is always accepted and changes nothing;
 * a same-session prerequisite ({@code acd.end} needs an earlier {@code acd.start} for its {@code sessionId})
 * must hold, late or not; after a terminal state only out-of-band and late events are accepted; the first
 * transition of the event's type whose {@code from} and guards match applies; a state change beyond
 * {@code maxStages} (or a session beyond {@code maxSessions}) is {@code STAGE_CAP_EXCEEDED}. Late events
 * ({@link PipelineEvent#late()}) are applied leniently: their session bookkeeping is recorded, they never move
 * the state to an earlier-listed one, and when no transition matches they count as out-of-band instead of
 * being rejected. A rejected event leaves the tracker untouched.
 *
 * <p>Events without a {@code sessionId} are keyed by {@code participantId} for the session rules. Not
 * thread-safe: owned by one verticle.
 */
public final class ConversationLifecycle implements NextStepOracle {

  private static final int ROLE_SHIFT = 24;
  private static final int ROLE_BITS = 7 << ROLE_SHIFT;
  private static final int OPENED = 1 << 27;
  private static final int CLOSED = 1 << 28;
  private static final int WRAPPED = 1 << 29;
  private static final int[] NO_SESSIONS = new int[0];

  private final LifecycleDefinition definition;
  private final CompactIds sessions = new CompactIds();
  private int[] sessionBits = NO_SESSIONS;
  private int stage;
  private int lastEndedAgent = -1;
  private byte state;

  public ConversationLifecycle(LifecycleDefinition definition) {
    this.definition = Objects.requireNonNull(definition, "definition");
    this.state = (byte) definition.initialIndex();
  }

  /** Validates {@code event} against the lifecycle and, unless rejected, records it. */
  public Transition apply(PipelineEvent event) {
    Step step = decide(Objects.requireNonNull(event, "event"));
    if (step.result instanceof Applied) {
      commit(step);
    }
    return step.result;
  }

  /** What {@link #apply} would answer, without recording anything. */
  public Transition check(PipelineEvent event) {
    return decide(Objects.requireNonNull(event, "event")).result;
  }

  /**
   * {@code true} if the event would be applied and is the usual next step: its session prerequisite holds
   * and a transition without {@code hold} matches (or it is out-of-band).
   */
  @Override
  public boolean isExpectedNext(PipelineEvent event) {
    Step step = decide(Objects.requireNonNull(event, "event"));
    if (!(step.result instanceof Applied applied) || step.hold) {
      return false;
    }
    return !applied.outOfBand() || event.late() || definition.releasesOutOfBandIn(state);
  }

  /** Applies a released event; a rejection is the state stage's to dead-letter, so it is ignored here. */
  @Override
  public void onReleased(PipelineEvent event) {
    apply(event);
  }

  @Override
  public boolean isFinished() {
    return definition.isTerminal(state);
  }

  public String state() {
    return definition.stateName(state);
  }

  /** State changes so far. */
  public int stage() {
    return stage;
  }

  public boolean isTerminal() {
    return definition.isTerminal(state);
  }

  /** Sessions recorded (opened, closed or wrapped up). */
  public int sessionCount() {
    return sessions.size();
  }

  /** A customer session ended and none is open. */
  public boolean customerEnded() {
    return facts(null, -1).customerEnded();
  }

  public int agentsConnected() {
    return facts(null, -1).agentsConnected();
  }

  /** The most recently ended agent session has had no after-call work yet. */
  public boolean awaitingAcw() {
    return facts(null, -1).awaitingAcw();
  }

  int stateIndex() {
    return state;
  }

  /** Index of a recorded session, or -1; the state stage keys its per-session facts by it. */
  int sessionIndex(String sessionId) {
    return sessions.indexOf(sessionId);
  }

  String sessionId(int index) {
    return sessions.get(index);
  }

  private Step decide(PipelineEvent event) {
    EventRule rule = definition.rule(event.eventType());
    String from = definition.stateName(state);
    if (rule == null) {
      return new Step(new Applied(from, from, false, true), null, null, -1, state, false);
    }
    String key = sessionKey(event);
    int session = rule.recorded() ? sessions.indexOf(key) : -1;
    if (rule.requires() >= 0 && (session < 0 || (sessionBits[session] & 1 << rule.requires()) == 0)) {
      return rejected(Reason.INVALID_TRANSITION,
          rule.type() + " for session " + key + " without a prior " + rule.requiresType());
    }
    if (rule.recorded() && session < 0 && sessions.size() >= definition.maxSessions()) {
      return rejected(Reason.STAGE_CAP_EXCEEDED, rule.type() + " would open session " + key
          + " beyond the cap of " + definition.maxSessions() + " sessions per conversation");
    }
    if (definition.isTerminal(state) && !event.late()) {
      return rejected(Reason.INVALID_TRANSITION, rule.type() + " not allowed in state " + from);
    }
    Facts facts = facts(rule, session);
    TransitionRule match = null;
    for (TransitionRule candidate : rule.transitions()) {
      if (candidate.matches(state, event, facts)) {
        match = candidate;
        break;
      }
    }
    if (match == null) {
      return event.late()
          ? new Step(new Applied(from, from, false, true), rule, key, session, state, false)
          : rejected(Reason.INVALID_TRANSITION, rule.type() + " not allowed in state " + from);
    }
    int to = match.target(state);
    if (event.late() && to < state) {
      // A late event describes the past: it may fill in sessions, never rewind the conversation.
      to = state;
    }
    if (to != state && stage >= definition.maxStages()) {
      return rejected(Reason.STAGE_CAP_EXCEEDED, rule.type() + " would take the conversation from " + from
          + " to " + definition.stateName(to) + ", stage " + (stage + 1) + " over the cap of "
          + definition.maxStages());
    }
    return new Step(new Applied(from, definition.stateName(to), to != state, false), rule, key, session, to,
        match.hold());
  }

  private void commit(Step step) {
    EventRule rule = step.rule;
    if (rule != null && rule.recorded()) {
      int session = step.session;
      if (session < 0) {
        session = sessions.add(step.key);
        if (session == sessionBits.length) {
          sessionBits = Arrays.copyOf(sessionBits, session < 8 ? Math.max(2, 2 * session) : session + (session >> 1));
        }
      }
      sessionBits[session] = after(sessionBits[session], rule);
      if (rule.closes() == Role.AGENT) {
        lastEndedAgent = session;
      }
    }
    if (step.to != state) {
      state = (byte) step.to;
      stage++;
    }
  }

  /**
   * The session picture after {@code rule} is applied to {@code session} ({@code -1}: a new session when the
   * rule records one); {@code rule == null} gives the current picture.
   */
  private Facts facts(EventRule rule, int session) {
    int count = sessions.size();
    boolean addsSession = rule != null && rule.recorded() && session < 0;
    int target = addsSession ? count : session;
    int lastEnded = rule != null && rule.closes() == Role.AGENT ? target : lastEndedAgent;
    int customersOpen = 0;
    int customersClosed = 0;
    int agents = 0;
    int queues = 0;
    int flows = 0;
    int open = 0;
    boolean awaitingAcw = false;
    for (int i = 0; i < count + (addsSession ? 1 : 0); i++) {
      int bits = i == count ? 0 : sessionBits[i];
      if (i == target) {
        bits = after(bits, rule);
      }
      int role = (bits & ROLE_BITS) >>> ROLE_SHIFT;
      if ((bits & OPENED) != 0 && (bits & CLOSED) == 0) {
        open++;
        customersOpen += role == Role.CUSTOMER.ordinal() + 1 ? 1 : 0;
        agents += role == Role.AGENT.ordinal() + 1 ? 1 : 0;
        queues += role == Role.ACD.ordinal() + 1 ? 1 : 0;
        flows += role == Role.IVR.ordinal() + 1 ? 1 : 0;
      } else if ((bits & CLOSED) != 0 && role == Role.CUSTOMER.ordinal() + 1) {
        customersClosed++;
      }
      if (i == lastEnded) {
        awaitingAcw = (bits & WRAPPED) == 0;
      }
    }
    return new Facts(customersClosed > 0 && customersOpen == 0, awaitingAcw, agents, queues, flows, open);
  }

  private static int after(int bits, EventRule rule) {
    bits |= 1 << rule.index();
    Role role = rule.opens() != null ? rule.opens() : rule.closes();
    if (role != null && (bits & ROLE_BITS) == 0) {
      bits |= (role.ordinal() + 1) << ROLE_SHIFT;
    }
    if (rule.opens() != null) {
      bits |= OPENED;
    }
    if (rule.closes() != null) {
      bits |= CLOSED;
    }
    if (rule.wrapsUp()) {
      bits |= WRAPPED;
    }
    return bits;
  }

  private static String sessionKey(PipelineEvent event) {
    if (event.sessionId() != null) {
      return event.sessionId();
    }
    return event.participantId() != null ? event.participantId() : "";
  }

  private Step rejected(Reason reason, String why) {
    return new Step(new Rejected(reason, why), null, null, -1, state, false);
  }

  /** A decision not yet committed. */
  private record Step(Transition result, EventRule rule, String key, int session, int to, boolean hold) {
  }
}
