package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one inbound voice call — customer, optional IVR flow, ACD (queue) and agent legs — and the steps that
 * move it along. Each step checks it is possible now (else {@link IllegalStateException}), updates the legs, and
 * returns what Genesys would publish for it: the detail events ({@code v2.detail.events.conversation.{id}.*}) in
 * the order of the samples, then a whole-conversation snapshot on the queue topic (once the call reached the queue)
 * and on the agent's user topic (once an agent was offered the call). The same state renders the REST Conversation
 * and the analytics record.
 *
 * <p>As in the samples, {@code user.start} is published when the agent connects (with {@code acd.end}), not when
 * the agent's phone starts alerting; a conversation whose agent must wrap up ends at the end of wrap-up.
 * Pure logic, no Vert.x; confined to the emulator's context.
 */
final class VoiceConversation implements StoredConversation {

  static final String ANSWERED = "ANSWERED";
  static final String ABANDON = "ABANDON";

  final VoiceSpec spec;
  final Leg customer = new Leg("customer");
  final Leg ivr = new Leg("ivr");
  final Leg acd = new Leg("acd");
  final Leg agent = new Leg("agent");
  String acdOutcome;
  long endTime = -1;

  VoiceConversation(VoiceSpec spec) {
    this.spec = Objects.requireNonNull(spec);
  }

  List<Emission> customerStart(long t) {
    require(!customer.started(), "customerStart: the customer already started");
    customer.start = t;
    customer.connected = t;
    return List.of(detail("customer.start", DetailEvents.customerStart(this, t)));
  }

  List<Emission> flowStart(long t) {
    require(customer.active() && !ivr.started(), "flowStart: needs an active customer and no flow yet");
    ivr.start = t;
    ivr.connected = t;
    return List.of(detail("flow.start", DetailEvents.flowStart(this, t)));
  }

  List<Emission> flowEnd(long t) {
    require(ivr.active(), "flowEnd: no flow is running");
    ivr.end = t;
    ivr.disconnectType = "transfer";
    return List.of(detail("flow.end", DetailEvents.flowEnd(this, t)));
  }

  List<Emission> acdStart(long t) {
    require(customer.active() && !acd.started() && !ivr.active(),
        "acdStart: needs an active customer, no queue leg yet, and the flow (if any) ended");
    acd.start = t;
    acd.connected = t;
    return withSnapshots(detail("acd.start", DetailEvents.acdStart(this, t)));
  }

  List<Emission> agentAlerting(long t) {
    require(acd.active() && !agent.started(), "agentAlerting: needs a call waiting in queue and no agent yet");
    agent.start = t;
    return withSnapshots();
  }

  List<Emission> agentConnected(long t) {
    require(acd.active() && !agent.ended(), "agentConnected: needs a call waiting in queue");
    if (!agent.started()) {
      agent.start = t;
    }
    agent.connected = t;
    acd.end = t;
    acd.disconnectType = "transfer";
    acdOutcome = ANSWERED;
    return withSnapshots(detail("acd.end", DetailEvents.acdEnd(this, t)),
        detail("user.start", DetailEvents.userStart(this, t)));
  }

  List<Emission> attributes(long t, Map<String, String> attributes) {
    require(customer.active(), "attributes: needs an active customer");
    customer.attributes.putAll(attributes);
    return withSnapshots(detail("attributes", DetailEvents.attributes(this, t)));
  }

  /** The caller hangs up: in the IVR, in queue (an abandon), or talking to the agent (who goes to wrap-up). */
  List<Emission> customerHangsUp(long t) {
    require(customer.active(), "customerHangsUp: no active customer");
    customer.end = t;
    customer.disconnectType = "endpoint";
    List<Emission> out = new ArrayList<>();
    out.add(detail("customer.end", DetailEvents.customerEnd(this, t)));
    if (ivr.active()) {
      ivr.end = t;
      ivr.disconnectType = "peer";
      out.add(detail("flow.end", DetailEvents.flowEnd(this, t)));
      endTime = t;
    } else if (acd.active()) {
      acd.end = t;
      acd.disconnectType = "peer";
      acdOutcome = ABANDON;
      out.add(detail("acd.end", DetailEvents.acdEnd(this, t)));
      if (agent.active()) { // was ringing; no user.start was published, so no user.end either
        agent.end = t;
        agent.disconnectType = "peer";
      }
      endTime = t;
    } else if (agent.active()) {
      agent.end = t;
      agent.disconnectType = "peer";
      agent.acwStart = t;
      out.add(detail("user.end", DetailEvents.userEnd(this, t)));
    } else {
      endTime = t;
    }
    return withSnapshots(out.toArray(Emission[]::new));
  }

  List<Emission> agentHangsUp(long t) {
    require(agent.active() && agent.isConnected() && customer.active(), "agentHangsUp: no connected agent");
    agent.end = t;
    agent.disconnectType = "client";
    agent.acwStart = t;
    customer.end = t;
    customer.disconnectType = "peer";
    return withSnapshots(detail("user.end", DetailEvents.userEnd(this, t)),
        detail("customer.end", DetailEvents.customerEnd(this, t)));
  }

  List<Emission> wrapup(long t, String code, String name, String notes) {
    require(agent.acwStart >= 0 && agent.acwEnd < 0, "wrapup: the agent is not in after-call work");
    agent.acwEnd = t;
    agent.wrapupCode = Objects.requireNonNull(code, "code");
    agent.wrapupName = name;
    agent.wrapupNotes = notes;
    endTime = t;
    return withSnapshots(detail("acw", DetailEvents.acw(this, t)));
  }

  boolean ended() {
    return endTime >= 0;
  }

  String queueTopic() {
    return "v2.routing.queues." + spec.queueId() + ".conversations";
  }

  String userTopic() {
    return "v2.users." + spec.userId() + ".conversations";
  }

  @Override
  public String id() {
    return spec.conversationId();
  }

  @Override
  public long startMillis() {
    return customer.start;
  }

  @Override
  public long endMillis() {
    return endTime;
  }

  @Override
  public JsonObject rest() {
    return RestView.render(this);
  }

  @Override
  public JsonObject analytics() {
    return AnalyticsView.render(this);
  }

  private Emission detail(String suffix, JsonObject body) {
    return new Emission("v2.detail.events.conversation." + spec.conversationId() + "." + suffix, body);
  }

  private List<Emission> withSnapshots(Emission... details) {
    List<Emission> out = new ArrayList<>(List.of(details));
    if (acd.started()) {
      out.add(new Emission(queueTopic(), SnapshotView.render(this)));
    }
    if (agent.started()) {
      out.add(new Emission(userTopic(), SnapshotView.render(this)));
    }
    return out;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalStateException(message);
    }
  }
}
