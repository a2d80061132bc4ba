package io.switchboard.state;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The immutable, validated conversation lifecycle, built from config by {@link #fromJson(JsonObject)}
 * (shipped default: {@code conf/lifecycle.json}). Invalid config throws {@link IllegalArgumentException}
 * naming the JSON path at fault, e.g. {@code lifecycle.transitions[3].to: unknown state 'qeued'}.
 *
 * <h2>Shape</h2>
 * <ul>
 *   <li>{@code states} (progress order), {@code initial}, {@code terminal};</li>
 *   <li>{@code maxStages}: cap on state changes per conversation (stage = state changes so far), and
 *       {@code maxSessions} (default {@code 4 × maxStages}, at least 16): both turn a runaway conversation into
 *       {@code STAGE_CAP_EXCEEDED} dead letters instead of unbounded state. The shipped 64: the multichannel
 *       sample alone takes 10 state changes, each blind transfer about 4 (connected → transferred → queued →
 *       ringing → connected), so the cap of 8 common in integrations rejects real conversations, while 64
 *       leaves room for 13–14 transfers and still stops a routing loop;</li>
 *   <li>{@code events}: per declared event type, {@code opens}/{@code closes} a session of a role
 *       ({@code customer, ivr, acd, agent, voicemail}), {@code requires} another type seen earlier in the same
 *       {@code sessionId}, {@code wrapsUp} (after-call work of an ended agent session);</li>
 *   <li>{@code outOfBand}: types recorded but never changing state, accepted in every state. Any type that is
 *       neither declared nor listed (e.g. {@code sentiment.changed}) is out-of-band too;</li>
 *   <li>{@code transitions}: {@code {"on": type | [types], "from": [states] | "*", "to": state | "*",
 *       "when": {guards}, "hold": bool}}; first match wins; {@code "*"} in {@code from} is every non-terminal
 *       state, in {@code to} "stay". {@code hold: true} marks a valid transition that skips a usual step, so
 *       the reorder stage waits for the skipped event before releasing it.</li>
 * </ul>
 *
 * <h2>Guards</h2>
 * Evaluated on the conversation as it is <em>after</em> the event's own session bookkeeping.
 * <ul>
 *   <li>event fields, matched against a glob ({@code *} = any run) or any of an array of globs:
 *       {@code acdOutcome, disconnectType, exitReason, transferType, flowType, direction, messageType}
 *       (eventBody), {@code mediaType} (normalised, upper case), {@code body.<field>} for any other eventBody
 *       field. An absent field never matches;</li>
 *   <li>{@code customerEnded} (a customer session ended and none is open), {@code awaitingAcw} (the most
 *       recently ended agent session has had no acw yet): booleans;</li>
 *   <li>{@code agentsConnected}, {@code queuesWaiting}, {@code flowsActive}, {@code sessionsOpen}: open session
 *       counts, compared for equality (use first-match order for "more than").</li>
 * </ul>
 *
 * <h2>Shipped default</h2>
 * Closure: a conversation ends on the event that closes its last open session once the customer has left and
 * the most recently ended agent session has had its acw: {@code abandoned} if nobody had connected
 * (queued/ringing), else {@code closed}. Ending only when every session is closed keeps the trailing
 * {@code flow.end} / {@code acd.end} that Genesys emits milliseconds after a hang-up from being rejected.
 * <pre>
 * | State       | Entered on                                                  | Meaning                                   |
 * |-------------|-------------------------------------------------------------|-------------------------------------------|
 * | new         | (initial)                                                   | only out-of-band events seen so far       |
 * | started     | customer.start, outbound                                    | the customer entered                      |
 * | ivr         | flow.start; acd.end FLOW_OUT                                | in a flow (IVR, bot)                      |
 * | queued      | acd.start; user.end *TRANSFER with the next queue leg open  | waiting in a queue                        |
 * | ringing     | acd.end ANSWERED                                            | an agent was alerted/offered              |
 * | connected   | user.start                                                  | an agent is connected                     |
 * | transferred | user.end *TRANSFER, customer there, no agent/queue leg left | between an agent and the next leg         |
 * | wrapping    | customer.end with an agent on; the last agent's user.end    | customer gone or agent ended, acw pending |
 * | abandoned   | last session closed, customer gone while queued/ringing     | terminal                                  |
 * | closed      | last session closed, customer gone, last agent's acw done   | terminal                                  |
 *
 * | #  | on                                                  | from                                              | when                                                                              | to          | hold |
 * |----|-----------------------------------------------------|---------------------------------------------------|-----------------------------------------------------------------------------------|-------------|------|
 * | 0  | customer.end, flow.end, acd.end, voicemail.end, acw | queued, ringing                                   | customerEnded=true, sessionsOpen=0, awaitingAcw=false                             | abandoned   |      |
 * | 1  | customer.end, flow.end, acd.end, voicemail.end, acw | *                                                 | customerEnded=true, sessionsOpen=0, awaitingAcw=false                             | closed      |      |
 * | 2  | customer.start                                      | new                                               |                                                                                   | started     |      |
 * | 3  | customer.start                                      | *                                                 |                                                                                   | *           |      |
 * | 4  | outbound                                            | new                                               |                                                                                   | started     |      |
 * | 5  | outbound                                            | *                                                 |                                                                                   | *           |      |
 * | 6  | flow.start                                          | started, ivr, transferred                         |                                                                                   | ivr         |      |
 * | 7  | flow.start                                          | wrapping                                          | customerEnded=false                                                               | ivr         |      |
 * | 8  | flow.start                                          | new                                               |                                                                                   | ivr         | yes  |
 * | 9  | flow.start                                          | *                                                 |                                                                                   | *           |      |
 * | 10 | flow.end                                            | *                                                 |                                                                                   | *           |      |
 * | 11 | acd.start                                           | ivr, transferred, wrapping                        |                                                                                   | queued      |      |
 * | 12 | acd.start                                           | started                                           | mediaType=VOICE                                                                   | queued      | yes  |
 * | 13 | acd.start                                           | started                                           |                                                                                   | queued      |      |
 * | 14 | acd.start                                           | new                                               |                                                                                   | queued      | yes  |
 * | 15 | acd.start                                           | *                                                 |                                                                                   | *           |      |
 * | 16 | acd.end                                             | queued                                            | acdOutcome=ANSWERED                                                               | ringing     |      |
 * | 17 | acd.end                                             | queued                                            | acdOutcome=FLOW_OUT                                                               | ivr         |      |
 * | 18 | acd.end                                             | *                                                 |                                                                                   | *           |      |
 * | 19 | user.start                                          | ringing, new, started, ivr, transferred, wrapping |                                                                                   | connected   |      |
 * | 20 | user.start                                          | queued                                            |                                                                                   | connected   | yes  |
 * | 21 | user.start                                          | *                                                 |                                                                                   | *           |      |
 * | 22 | user.end                                            | connected                                         | disconnectType=*TRANSFER, customerEnded=false, agentsConnected=0, queuesWaiting=0 | transferred |      |
 * | 23 | user.end                                            | connected                                         | disconnectType=*TRANSFER, customerEnded=false, agentsConnected=0                  | queued      |      |
 * | 24 | user.end                                            | connected                                         | agentsConnected=0                                                                 | wrapping    |      |
 * | 25 | user.end                                            | *                                                 |                                                                                   | *           |      |
 * | 26 | acw                                                 | *                                                 |                                                                                   | *           |      |
 * | 27 | voicemail.start, voicemail.end                      | *                                                 |                                                                                   | *           |      |
 * | 28 | customer.end                                        | connected, transferred                            |                                                                                   | wrapping    |      |
 * | 29 | customer.end                                        | *                                                 |                                                                                   | *           |      |
 * </pre>
 */
public final class LifecycleDefinition {

  private final List<String> states;
  private final Map<String, Integer> stateIndex;
  private final int initial;
  private final boolean[] terminal;
  private final int maxStages;
  private final int maxSessions;
  private final Map<String, EventRule> rules;
  private final EventRule[] rulesByIndex;
  private final Set<String> outOfBand;
  private final boolean[] releasesOutOfBand;
  /** Declared types (at their rule index) then listed out-of-band types: what a byte in a summary names. */
  private final List<String> knownTypes;
  private final Map<String, Integer> knownTypeIndex;
  private final JsonObject source;
  private final String root;

  LifecycleDefinition(List<String> states, int initial, boolean[] terminal, int maxStages, int maxSessions,
      Map<String, EventRule> rules, Set<String> outOfBand, boolean[] releasesOutOfBand, JsonObject source,
      String root) {
    // States and event types are interned here once: trackers store small indexes, never these strings.
    this.states = List.copyOf(states);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < states.size(); i++) {
      index.put(states.get(i), i);
    }
    this.stateIndex = Map.copyOf(index);
    this.initial = initial;
    this.terminal = terminal.clone();
    this.maxStages = maxStages;
    this.maxSessions = maxSessions;
    this.rules = Map.copyOf(rules);
    this.rulesByIndex = new EventRule[rules.size()];
    for (EventRule rule : rules.values()) {
      rulesByIndex[rule.index()] = rule;
    }
    this.outOfBand = Collections.unmodifiableSet(new LinkedHashSet<>(outOfBand));
    this.releasesOutOfBand = releasesOutOfBand.clone();
    List<String> known = new ArrayList<>(orderedTypes());
    known.addAll(outOfBand);
    this.knownTypes = List.copyOf(known);
    Map<String, Integer> knownIndex = new HashMap<>();
    for (int i = 0; i < known.size(); i++) {
      knownIndex.put(known.get(i), i);
    }
    this.knownTypeIndex = Map.copyOf(knownIndex);
    this.source = Objects.requireNonNull(source, "source");
    this.root = root;
  }

  /** Validates {@code json} (the lifecycle object) and builds the definition; errors name {@code lifecycle.…}. */
  public static LifecycleDefinition fromJson(JsonObject json) {
    return fromJson(json, "lifecycle");
  }

  /** As {@link #fromJson(JsonObject)}, with {@code path} as the prefix of error paths (where the object sits). */
  public static LifecycleDefinition fromJson(JsonObject json, String path) {
    return DefinitionParser.parse(json, path);
  }

  /** The same definition with another {@code maxStages} (an operator override or a test's small cap). */
  public LifecycleDefinition withMaxStages(int maxStages) {
    JsonObject copy = source.copy().put("maxStages", maxStages);
    if (!source.containsKey("maxSessions")) {
      copy.put("maxSessions", this.maxSessions);
    }
    return fromJson(copy, root);
  }

  /** The config it was built from (a copy). */
  public JsonObject toJson() {
    return source.copy();
  }

  /** All states, in progress order. */
  public List<String> states() {
    return states;
  }

  public String initialState() {
    return states.get(initial);
  }

  public Set<String> terminalStates() {
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < states.size(); i++) {
      if (terminal[i]) {
        out.add(states.get(i));
      }
    }
    return Collections.unmodifiableSet(out);
  }

  public boolean isTerminal(String state) {
    Integer i = stateIndex.get(state);
    return i != null && terminal[i];
  }

  public int maxStages() {
    return maxStages;
  }

  public int maxSessions() {
    return maxSessions;
  }

  /** Event types with session rules and transitions. */
  public Set<String> eventTypes() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(orderedTypes()));
  }

  /** Event types listed as out-of-band; undeclared types are treated the same way. */
  /**
   * Whether an out-of-band (or unknown) event is the expected next step in state {@code state}. Such
   * events carry no lifecycle information, so releasing one early would make every earlier event still
   * in flight late; they are released at once only in states listed in {@code outOfBandReleasedIn}
   * (where the lifecycle has reached its interactive part), and otherwise wait out the reorder window.
   */
  boolean releasesOutOfBandIn(int state) {
    return releasesOutOfBand[state];
  }

  public Set<String> outOfBandTypes() {
    return outOfBand;
  }

  /** {@code true} for listed out-of-band types and for any type without a rule. */
  public boolean isOutOfBand(String eventType) {
    return !rules.containsKey(eventType);
  }

  private List<String> orderedTypes() {
    List<String> out = new ArrayList<>(rulesByIndex.length);
    for (EventRule rule : rulesByIndex) {
      out.add(rule.type());
    }
    return out;
  }

  int initialIndex() {
    return initial;
  }

  int stateCount() {
    return states.size();
  }

  String stateName(int index) {
    return states.get(index);
  }

  int stateIndex(String state) {
    Integer i = stateIndex.get(state);
    return i == null ? -1 : i;
  }

  boolean isTerminal(int index) {
    return terminal[index];
  }

  /** The rule of {@code eventType}, or {@code null} when it is out-of-band. */
  EventRule rule(String eventType) {
    return rules.get(eventType);
  }

  EventRule rule(int index) {
    return rulesByIndex[index];
  }

  /** Index of a declared or listed out-of-band type, or -1 for any other type. */
  int typeIndex(String eventType) {
    Integer i = knownTypeIndex.get(eventType);
    return i == null ? -1 : i;
  }

  String typeName(int typeIndex) {
    return knownTypes.get(typeIndex);
  }

  /**
   * Identifies what state snapshots encode by index (states and event types, in order), so that a snapshot
   * written under a different definition is recognised and not misread.
   */
  int shapeHash() {
    return 31 * states.hashCode() + knownTypes.hashCode();
  }
}
