package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

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
 * closed, after-call work done, adopted, and a bit per event type seen): 40 bytes plus ~20 per session, 176
 * bytes measured for the voice sample's four sessions (see {@link Conversation} for how).
 *
 * <p>Rules, in order: an out-of-band type (listed, or not declared) is always accepted and changes nothing;
 * a same-session prerequisite ({@code acd.end} needs an earlier {@code acd.start} for its {@code sessionId})
 * must hold, late or not; a session ends once (a second event closing the same {@code sessionId} is rejected);
 * after a terminal state only out-of-band and late events are accepted; the first transition of the event's
 * type whose {@code from} and guards match applies; a state change beyond {@code maxStages} (or a session
 * beyond {@code maxSessions}) is {@code STAGE_CAP_EXCEEDED}. Late events ({@link PipelineEvent#late()}) are
 * applied leniently: their session bookkeeping is recorded, they never move the state to an earlier-listed
 * one, and when no transition matches they count as out-of-band instead of being rejected. A rejected event
 * leaves the tracker untouched.
 *
 * <p><b>Joined mid-way.</b> A conversation is first seen wherever its events happen to be after a deployment,
 * a restart or a shard move, so its first lifecycle event need not be a start. Only a <em>usual</em> start
 * counts as one: a transition out of the initial state that is not {@code hold} (in the shipped definition
 * {@code customer.start} and {@code outbound}; a held one such as {@code user.start} from {@code new} says
 * itself that an earlier step usually comes first). Any other first event is adopted: the conversation starts
 * in the state {@link MidwayInference} derives from the definition, is marked {@link #joinedMidway()}, and
 * from then on a session we never saw the start of is adopted too (its prerequisites predate our view) instead
 * of rejected. What contradicts the events we did see is still rejected: a session ending twice, a
 * prerequisite missing in a session we saw, a step after a terminal state. In a conversation whose start was
 * seen nothing is adopted. An adoption is valid but skips steps, so, like {@code hold}, it is not the expected
 * next step: reorder waits out its window for the skipped events first.
 *
 * <p>Events without a {@code sessionId} are keyed by {@code participantId} for the session rules (and are
 * exempt from "a session ends once": a participant may have several sessions). Not thread-safe: owned by one
 * verticle.
 */
public final class ConversationLifecycle implements NextStepOracle {

  private static final int ROLE_SHIFT = 24;
  private static final int ROLE_BITS = 7 << ROLE_SHIFT;
  private static final int OPENED = 1 << 27;
  private static final int CLOSED = 1 << 28;
  private static final int WRAPPED = 1 << 29;
  /** The session began before our view: its prerequisites are taken as met. */
  private static final int ADOPTED = 1 << 30;
  private static final int[] NO_SESSIONS = new int[0];
  /** A lifecycle (declared) event has been applied: the next one is no longer the first. */
  private static final byte SEEN = 1;
  private static final byte MIDWAY = 2;

  private final LifecycleDefinition definition;
  private final CompactIds sessions = new CompactIds();
  private int[] sessionBits = NO_SESSIONS;
  private int stage;
  private int lastEndedAgent = -1;
  private byte state;
  private byte flags;

  public ConversationLifecycle(LifecycleDefinition definition) {
    this.definition = Objects.requireNonNull(definition, "definition");
    this.state = (byte) definition.initialIndex();
  }

  void writeTo(DataOutput out) throws IOException {
    sessions.writeTo(out);
    SnapshotIo.writeInts(out, sessionBits, sessionBits.length);
    out.writeInt(stage);
    out.writeInt(lastEndedAgent);
    out.writeByte(state);
    out.writeByte(flags);
  }

  void readFrom(DataInput in) throws IOException {
    sessions.readFrom(in);
    sessionBits = SnapshotIo.readInts(in);
    stage = in.readInt();
    lastEndedAgent = in.readInt();
    state = in.readByte();
    flags = in.readByte();
    if ((state & 0xFF) >= definition.stateCount()) {
      throw new IOException("snapshot state index " + state + " is not in the lifecycle");
    }
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
   * and a transition without {@code hold} matches (or it is out-of-band). An event that would adopt the
   * conversation, or a session, mid-way is not: what it skipped may still be in flight, so reorder waits for it
   * up to its window and then releases the event anyway (and the adoption happens then).
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

  /** State changes so far (the adoption of a conversation joined mid-way counts as one). */
  public int stage() {
    return stage;
  }

  public boolean isTerminal() {
    return definition.isTerminal(state);
  }

  /** The first lifecycle event seen was not a usual start: the conversation was adopted in an inferred state. */
  public boolean joinedMidway() {
    return (flags & MIDWAY) != 0;
  }

  /** Sessions recorded (opened, closed or wrapped up). */
  public int sessionCount() {
    return sessions.size();
  }

  /** A customer session ended and none is open. */
  public boolean customerEnded() {
    return facts(-1, 0, false).customerEnded();
  }

  public int agentsConnected() {
    return facts(-1, 0, false).agentsConnected();
  }

  /** The most recently ended agent session has had no after-call work yet. */
  public boolean awaitingAcw() {
    return facts(-1, 0, false).awaitingAcw();
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
    if (rule == null) {
      String from = definition.stateName(state);
      return new Step(new Applied(from, from, false, true), null, null, -1, 0, false, state, false, false);
    }
    if ((flags & SEEN) != 0) {
      return judge(event, rule, (flags & MIDWAY) != 0);
    }
    Step first = judge(event, rule, false);
    if (first.result instanceof Applied applied && !applied.outOfBand() && !first.hold && first.to != state) {
      return first;
    }
    Step adopted = adopt(event, rule);
    // A definition may leave nothing to infer for a type; the event is then judged from the initial state.
    return adopted != null ? adopted : first;
  }

  /** The event against the current state; {@code midway}: a session never seen before is adopted, not rejected. */
  private Step judge(PipelineEvent event, EventRule rule, boolean midway) {
    String from = definition.stateName(state);
    String key = sessionKey(event);
    int session = rule.recorded() ? sessions.indexOf(key) : -1;
    int bits = session < 0 ? 0 : sessionBits[session];
    boolean adopting = false;
    if (rule.requires() >= 0 && (bits & (1 << rule.requires() | ADOPTED)) == 0) {
      if (!midway || session >= 0) {
        return rejected(Reason.INVALID_TRANSITION,
            rule.type() + " for session " + key + " without a prior " + rule.requiresType());
      }
      bits = implied(rule);
      adopting = true;
    }
    if (rule.closes() != null && session >= 0 && event.sessionId() != null && (bits & 1 << rule.index()) != 0) {
      return rejected(Reason.INVALID_TRANSITION, rule.type() + " for session " + key + " seen twice: a session ends once");
    }
    if (rule.recorded() && session < 0 && sessions.size() >= definition.maxSessions()) {
      return rejected(Reason.STAGE_CAP_EXCEEDED, rule.type() + " would open session " + key
          + " beyond the cap of " + definition.maxSessions() + " sessions per conversation");
    }
    if (definition.isTerminal(state) && !event.late()) {
      return rejected(Reason.INVALID_TRANSITION, rule.type() + " not allowed in state " + from);
    }
    int after = rule.recorded() ? after(bits, rule) : 0;
    boolean endsAgent = endsAgent(rule, bits, adopting);
    Facts facts = facts(rule.recorded() ? (session < 0 ? sessions.size() : session) : -1, after, endsAgent);
    TransitionRule match = null;
    for (TransitionRule candidate : rule.transitions()) {
      if (candidate.matches(state, event, facts)) {
        match = candidate;
        break;
      }
    }
    if (match == null) {
      return event.late()
          ? new Step(new Applied(from, from, false, true), rule, key, session, after, endsAgent, state, adopting, false)
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
    return new Step(new Applied(from, definition.stateName(to), to != state, false), rule, key, session, after,
        endsAgent, to, match.hold() || adopting, false);
  }

  /** The first lifecycle event, not a usual start: adopts the conversation in the inferred state, or {@code null}. */
  private Step adopt(PipelineEvent event, EventRule rule) {
    boolean adopting = rule.requires() >= 0;
    int bits = adopting ? implied(rule) : 0;
    int after = rule.recorded() ? after(bits, rule) : 0;
    boolean endsAgent = endsAgent(rule, bits, adopting);
    Facts facts = facts(rule.recorded() ? sessions.size() : -1, after, endsAgent);
    int to = MidwayInference.infer(definition, rule, event, facts);
    if (to < 0) {
      return null;
    }
    String from = definition.stateName(state);
    return new Step(new Applied(from, definition.stateName(to), to != state, false), rule, sessionKey(event), -1,
        after, endsAgent, to, true, true);
  }

  private void commit(Step step) {
    EventRule rule = step.rule;
    if (rule != null) {
      flags |= SEEN;
      if (rule.recorded()) {
        int session = step.session;
        if (session < 0) {
          session = sessions.add(step.key);
          if (session == sessionBits.length) {
            sessionBits = Arrays.copyOf(sessionBits, session < 8 ? Math.max(2, 2 * session) : session + (session >> 1));
          }
        }
        sessionBits[session] = step.bits;
        if (step.endsAgent) {
          lastEndedAgent = session;
        }
      }
    }
    if (step.midway) {
      flags |= MIDWAY;
    }
    if (step.to != state) {
      state = (byte) step.to;
      stage++;
    }
  }

  /**
   * The session picture with session {@code target} ({@link #sessionCount()} for a new one, -1 for none) holding
   * {@code targetBits}; {@code endsAgent}: it is now the most recently ended agent session.
   */
  private Facts facts(int target, int targetBits, boolean endsAgent) {
    int count = Math.max(sessions.size(), target + 1);
    int lastEnded = endsAgent ? target : lastEndedAgent;
    int customersOpen = 0;
    int customersClosed = 0;
    int agents = 0;
    int queues = 0;
    int flows = 0;
    int open = 0;
    boolean awaitingAcw = false;
    for (int i = 0; i < count; i++) {
      int bits = i == target ? targetBits : sessionBits[i];
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

  /**
   * An adopted session as if the steps {@code rule} requires (transitively) had happened, without their
   * seen-type bits: they were not seen, and a late copy of one must still be accepted.
   */
  private int implied(EventRule rule) {
    int bits = ADOPTED;
    EventRule step = rule;
    // 'requires' may form a cycle in a custom definition: bounded by the number of types.
    for (int i = 0; i < DefinitionParser.MAX_EVENT_TYPES && step.requires() >= 0; i++) {
      step = definition.rule(step.requires());
      bits = marks(bits, step);
    }
    return bits;
  }

  /** The event ends an agent session: itself, or (adopting) through the steps implied before it. */
  private static boolean endsAgent(EventRule rule, int bitsBefore, boolean adopting) {
    return rule.closes() == Role.AGENT || adopting && (bitsBefore & CLOSED) != 0
        && (bitsBefore & ROLE_BITS) >>> ROLE_SHIFT == Role.AGENT.ordinal() + 1;
  }

  private static int after(int bits, EventRule rule) {
    return marks(bits | 1 << rule.index(), rule);
  }

  /** Role, opened, closed and wrapped-up marks of {@code rule}, without its seen-type bit. */
  private static int marks(int bits, EventRule rule) {
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
    return new Step(new Rejected(reason, why), null, null, -1, 0, false, state, false, false);
  }

  /**
   * A decision not yet committed.
   *
   * @param bits      the session's flags after the event (when {@code rule} records one)
   * @param endsAgent the session becomes the most recently ended agent session
   * @param hold      valid, but not the expected next step (a held transition, or an adoption)
   * @param midway    commits the adoption of the conversation mid-way
   */
  private record Step(Transition result, EventRule rule, String key, int session, int bits, boolean endsAgent,
      int to, boolean hold, boolean midway) {
  }
}
