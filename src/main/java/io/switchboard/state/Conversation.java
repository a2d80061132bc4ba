package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.switchboard.message.PipelineEvent;
import io.switchboard.state.Transition.Applied;
import io.switchboard.state.Transition.Rejected;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Everything the state stage knows about one conversation: its {@link ConversationLifecycle} plus channels,
 * participants (purpose inferred from the event family: customer, ivr, acd, agent, voicemail), queues,
 * agents, the last attribute values, timings, counters and a ring of the last N applied events.
 *
 * <p><b>Memory.</b> Kept for every open conversation, so nothing here is stored as it arrives: ids (all
 * Genesys ids are UUIDs) are two {@code long}s in column arrays, session ids are stored once (in the
 * lifecycle's table), states and event types are byte indexes into the shared {@link LifecycleDefinition},
 * the last-events ring is packed primitives (28 bytes per summary), attributes are one bounded UTF-8 byte
 * array; no {@link JsonObject} or JDK collection is kept. Measured by a layout walk (compressed oops, 8-byte
 * alignment; {@code ConversationMemoryTest}), including the 80-byte conversation id string: the closed voice
 * sample with its 4 attributes takes 1,520 bytes (of which the lifecycle tracker 176, the 10-event ring 560),
 * the multichannel sample 1,568, and the multichannel one with a full 20-event ring 1,824 — under the 2 KiB
 * budget. A heap measurement of 20,000 voice conversations agreed within 0.5 %. Add ~50 bytes for the store's
 * map entry. Attributes are the one part that scales with input, bounded by
 * {@link StateSettings#maxAttributeBytes()}.
 *
 * <p>Not thread-safe: owned by the state stage verticle of its shard.
 */
public final class Conversation {

  /** Bound on queues and agents tracked per conversation (packed as bytes in the participant facts). */
  static final int MAX_TRACKED = Participants.MAX;

  private final String id;
  private final LifecycleDefinition definition;
  private final StateSettings settings;
  private final ConversationLifecycle lifecycle;
  private final EventRing ring;
  private final Sessions sessions = new Sessions();
  private final Participants participants = new Participants();
  private final CompactIds queues = new CompactIds();
  private final CompactIds agents = new CompactIds();
  private final Channels channels = new Channels();
  private Attributes attributes;
  private long queueWaitMs;
  private long talkMs;
  private long acwMs;
  private long firstEventTime = Long.MAX_VALUE;
  private long lastEventTime = Long.MIN_VALUE;
  private long customerEndTime = Long.MIN_VALUE;
  private long lastActivityMillis;
  private long terminalAtMillis = -1;
  private int events;
  private int lateEvents;
  private int outOfBandEvents;
  private int rejectedEvents;
  /** Known only partly for good: first seen in a shard re-owned after its owner crashed (see markUnsure). */
  private boolean unsure;

  public Conversation(String id, LifecycleDefinition definition, StateSettings settings) {
    this.id = Objects.requireNonNull(id, "id");
    this.definition = Objects.requireNonNull(definition, "definition");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.lifecycle = new ConversationLifecycle(definition);
    this.ring = new EventRing(settings.lastEvents());
  }

  /**
   * Validates and records {@code event}; {@code nowMillis} is the wall clock used for idle and retention
   * eviction. A rejected event changes nothing but the rejected counter, unless violations are flagged
   * ({@link StateSettings#flagViolations()}): then it is recorded like an out-of-band event (ring, counters,
   * participants, attributes), still without touching the lifecycle or the timings, and comes back flagged. An
   * {@link #unsure()} conversation's violations are always flagged.
   */
  public ApplyResult apply(PipelineEvent event, long nowMillis) {
    Objects.requireNonNull(event, "event");
    if (!id.equals(event.conversationId())) {
      throw new IllegalArgumentException("event of conversation " + event.conversationId() + " applied to " + id);
    }
    boolean wasTerminal = lifecycle.isTerminal();
    boolean wasMidway = lifecycle.joinedMidway();
    Transition transition = lifecycle.apply(event);
    if (transition instanceof Rejected rejected) {
      rejectedEvents++;
      if (!settings.flagViolations() && !unsure) {
        return result(transition, false, false);
      }
      record(event, false, EventRing.violation(rejected.reason()), nowMillis);
      return result(transition, false, true);
    }
    boolean outOfBand = ((Applied) transition).outOfBand();
    outOfBandEvents += outOfBand ? 1 : 0;
    record(event, true, outOfBand ? EventRing.OUT_OF_BAND : 0, nowMillis);
    if (!wasTerminal && lifecycle.isTerminal()) {
      terminalAtMillis = nowMillis;
    }
    return result(transition, !wasMidway && lifecycle.joinedMidway(), false);
  }

  /** The lifecycle has judged {@code event}: records it; {@code timed}: it counts towards the timings (applied). */
  private void record(PipelineEvent event, boolean timed, int ringFlags, long nowMillis) {
    lastActivityMillis = nowMillis;
    events++;
    lateEvents += event.late() ? 1 : 0;
    firstEventTime = Math.min(firstEventTime, event.eventTime());
    lastEventTime = Math.max(lastEventTime, event.eventTime());
    channels.add(event.mediaType());

    EventRule rule = definition.rule(event.eventType());
    Role role = rule == null ? null : rule.role();
    int agent = track(agents, event.userId());
    int queue = track(queues, event.queueId());
    int participant = event.participantId() == null ? -1
        : participants.touch(event.participantId(), role, agent, queue);
    // Sessions live in the lifecycle's table; one only ever named by out-of-band events is not listed.
    int session = event.sessionId() == null ? -1 : lifecycle.sessionIndex(event.sessionId());
    if (session >= 0) {
      sessions.ensure(session);
      sessions.participant(session, participant);
      if (timed && rule != null) {
        time(rule, event, session);
      }
    }
    Object attributeMap = event.eventBody().getValue("attributes");
    if (attributeMap instanceof JsonObject) {
      if (attributes == null) {
        attributes = new Attributes();
      }
      attributes.merge((JsonObject) attributeMap, settings.maxAttributeBytes());
    }
    ring.add(event.eventTime(), EventRing.keyOf(event.eventId(), event.fingerprint()),
        definition.typeIndex(event.eventType()), event.eventType(),
        lifecycle.stateIndex(), session, (event.late() ? EventRing.LATE : 0) | ringFlags);
  }

  /**
   * This conversation was first seen in a cluster shard re-owned after its owner crashed: some of its events may
   * still come (re-sent, or replayed by the crashed node when it restarts) after later ones, so its violations are
   * flagged, never dead-lettered. Kept in snapshots and handovers.
   */
  void markUnsure() {
    unsure = true;
  }

  public boolean unsure() {
    return unsure;
  }

  /** The latest event time applied, or {@link Long#MIN_VALUE} before any. */
  public long lastEventTime() {
    return lastEventTime;
  }

  /** Whether this conversation has already recorded the event with this envelope id (among its last events). */
  public boolean hasRecorded(String eventId) {
    return ring.contains(eventId);
  }

  /** Whether this conversation's recent events include {@code event}: by envelope id, or by fingerprint without one. */
  public boolean hasRecorded(io.switchboard.message.PipelineEvent event) {
    return ring.contains(EventRing.keyOf(event.eventId(), event.fingerprint()));
  }

  /** Everything but the id, the definition and the settings, which the reader supplies. */
  void writeTo(DataOutput out) throws IOException {
    lifecycle.writeTo(out);
    ring.writeTo(out);
    sessions.writeTo(out);
    participants.writeTo(out);
    queues.writeTo(out);
    agents.writeTo(out);
    channels.writeTo(out);
    // One byte: bit 0 attributes follow, bit 1 unsure (snapshots from before it wrote 0 or 1, and read the same).
    out.writeByte((attributes != null ? 1 : 0) | (unsure ? 2 : 0));
    if (attributes != null) {
      attributes.writeTo(out);
    }
    for (long value : new long[] {queueWaitMs, talkMs, acwMs, firstEventTime, lastEventTime, customerEndTime,
        lastActivityMillis, terminalAtMillis}) {
      out.writeLong(value);
    }
    for (int value : new int[] {events, lateEvents, outOfBandEvents, rejectedEvents}) {
      out.writeInt(value);
    }
  }

  /** Reads into a conversation just constructed, as {@link #writeTo} wrote it. */
  void readFrom(DataInput in) throws IOException {
    lifecycle.readFrom(in);
    ring.readFrom(in);
    sessions.readFrom(in);
    participants.readFrom(in);
    queues.readFrom(in);
    agents.readFrom(in);
    channels.readFrom(in);
    int flags = in.readByte();
    unsure = (flags & 2) != 0;
    if ((flags & 1) != 0) {
      attributes = new Attributes();
      attributes.readFrom(in);
    }
    queueWaitMs = in.readLong();
    talkMs = in.readLong();
    acwMs = in.readLong();
    firstEventTime = in.readLong();
    lastEventTime = in.readLong();
    customerEndTime = in.readLong();
    lastActivityMillis = in.readLong();
    terminalAtMillis = in.readLong();
    events = in.readInt();
    lateEvents = in.readInt();
    outOfBandEvents = in.readInt();
    rejectedEvents = in.readInt();
  }

  public String id() {
    return id;
  }

  public String state() {
    return lifecycle.state();
  }

  public int stage() {
    return lifecycle.stage();
  }

  public boolean isTerminal() {
    return lifecycle.isTerminal();
  }

  /** Its first lifecycle event was not a start: the state was inferred (see {@link ConversationLifecycle}). */
  public boolean joinedMidway() {
    return lifecycle.joinedMidway();
  }

  /** Wall-clock ms of the last applied event. */
  public long lastActivityMillis() {
    return lastActivityMillis;
  }

  /** Wall-clock ms when it reached a terminal state, or -1. */
  public long terminalAtMillis() {
    return terminalAtMillis;
  }

  public Timings timings() {
    long total = customerEndTime == Long.MIN_VALUE ? -1 : Math.max(0, customerEndTime - firstEventTime);
    return new Timings(queueWaitMs, talkMs, acwMs, total);
  }

  /** The compact view attached to every processed event. */
  public JsonObject snapshot() {
    return new JsonObject()
        .put("id", id)
        .put("state", state())
        .put("stage", stage())
        // Targets should know when the state is inferred: the first event seen was not the conversation's start.
        .put("joinedMidway", lifecycle.joinedMidway())
        .put("channels", channels.toJson())
        .put("queues", ids(queues))
        .put("agents", ids(agents))
        .put("timings", timings().toJson())
        .put("participants", participants.size())
        // Attributes (bounded by maxAttributeBytes) ride along so that target filters can select on them,
        // e.g. a customer tier set by the IVR.
        .put("attributes", attributes == null ? new JsonObject() : attributes.toJson())
        .put("lastEventTime", events == 0 ? null : lastEventTime);
  }

  /** Everything, with the {@code lastN} most recent event summaries (for {@code GET /conversations/{id}}). */
  public JsonObject toJson(int lastN) {
    return snapshot()
        .put("terminal", isTerminal())
        .put("customerEnded", lifecycle.customerEnded())
        .put("agentsConnected", lifecycle.agentsConnected())
        .put("awaitingAcw", lifecycle.awaitingAcw())
        .put("participants", participants.toJson(agents, queues, lifecycle, sessions))
        .put("attributes", attributes == null ? new JsonObject() : attributes.toJson())
        .put("attributesDropped", attributes == null ? 0 : attributes.dropped())
        .put("firstEventTime", events == 0 ? null : firstEventTime)
        .put("counters", new JsonObject()
            .put("events", events)
            .put("late", lateEvents)
            .put("outOfBand", outOfBandEvents)
            .put("rejected", rejectedEvents))
        .put("lastEvents", ring.toJson(lastN, definition, lifecycle));
  }

  int stateIndex() {
    return lifecycle.stateIndex();
  }

  private void time(EventRule rule, PipelineEvent event, int session) {
    long time = event.eventTime();
    long mark = sessions.mark(session);
    long since = mark == Sessions.UNKNOWN || time < mark ? 0 : time - mark;
    if (rule.opens() != null) {
      sessions.mark(session, time);
    } else if (rule.closes() != null) {
      queueWaitMs += rule.closes() == Role.ACD ? since : 0;
      talkMs += rule.closes() == Role.AGENT ? since : 0;
      if (rule.closes() == Role.CUSTOMER) {
        customerEndTime = Math.max(customerEndTime, time);
      }
      sessions.mark(session, time);
    } else if (rule.wrapsUp()) {
      // Genesys reports the wrap-up time itself; the gap to user.end is the fallback.
      Object reported = event.eventBody().getValue("wrapupDurationMs");
      acwMs += reported instanceof Number ? Math.max(0, ((Number) reported).longValue()) : since;
    }
  }

  private static int track(CompactIds column, String value) {
    if (value == null) {
      return -1;
    }
    int i = column.indexOf(value);
    return i >= 0 || column.size() >= MAX_TRACKED ? i : column.add(value);
  }

  private static JsonArray ids(CompactIds column) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < column.size(); i++) {
      out.add(column.get(i));
    }
    return out;
  }

  private ApplyResult result(Transition transition, boolean adoptedMidway, boolean flagged) {
    return new ApplyResult(transition, lifecycle.state(), lifecycle.stage(), lifecycle.isTerminal(), adoptedMidway,
        flagged);
  }
}
