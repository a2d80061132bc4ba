package io.switchboard.it.genesys;

import io.vertx.core.Future;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Drives one inbound voice call through its life; every step makes the emulator publish what Genesys would (detail
 * events to sockets subscribed to that concrete {@code v2.detail.events.conversation.{id}.*} topic, whole-conversation
 * snapshots to {@code v2.routing.queues.{queueId}.conversations} and {@code v2.users.{userId}.conversations}) and
 * updates the REST Conversation and the analytics record. Times are the events' own ({@code eventTime}), so a test
 * may script the past.
 *
 * <pre>{@code
 * VoiceCall call = emulator.conversations().voice(conversationId, queueId, userId)
 *     .customerStart(t0).flowStart(t0.plusMillis(140)).flowEnd(t0.plusSeconds(21)).acdStart(t0.plusSeconds(22))
 *     .agentAlerting(t0.plusSeconds(60)).agentConnected(t0.plusSeconds(64))
 *     .customerHangsUp(t0.plusSeconds(400)).wrapup(t0.plusSeconds(443), wrapupCodeId, "notes");
 * call.done().onComplete(...);   // every step so far has been applied and published
 * }</pre>
 *
 * <p>Steps run in call order on the emulator's context, each after the previous one; a step that is impossible at that
 * point (say {@code wrapup} before anyone hung up) fails {@link #done()} and skips the steps after it. Use one
 * VoiceCall from one thread.
 */
public final class VoiceCall {

  private final VoiceConversation model;
  private final Function<Supplier<List<Emission>>, Future<Void>> publisher;
  private Future<Void> tail;

  VoiceCall(VoiceConversation model, Future<Void> registered, Function<Supplier<List<Emission>>, Future<Void>> publisher) {
    this.model = Objects.requireNonNull(model);
    this.tail = Objects.requireNonNull(registered);
    this.publisher = Objects.requireNonNull(publisher);
  }

  public String conversationId() {
    return model.id();
  }

  public VoiceSpec spec() {
    return model.spec;
  }

  /** The participant id of the {@code customer}, {@code ivr}, {@code acd} or {@code agent} leg (fixed up front). */
  public String participantId(String purpose) {
    return leg(purpose).participantId;
  }

  /** The session (call) id of a leg, as in detail events' {@code sessionId}. */
  public String sessionId(String purpose) {
    return leg(purpose).sessionId;
  }

  /** customer.start. */
  public VoiceCall customerStart(Instant at) {
    return then(() -> model.customerStart(at.toEpochMilli()));
  }

  /** flow.start: the call enters the IVR flow. */
  public VoiceCall flowStart(Instant at) {
    return then(() -> model.flowStart(at.toEpochMilli()));
  }

  /** flow.end: the flow transfers the call to the queue. */
  public VoiceCall flowEnd(Instant at) {
    return then(() -> model.flowEnd(at.toEpochMilli()));
  }

  /** acd.start and the first queue snapshot. */
  public VoiceCall acdStart(Instant at) {
    return then(() -> model.acdStart(at.toEpochMilli()));
  }

  /** The agent's phone rings: snapshots only (queue and user topics). */
  public VoiceCall agentAlerting(Instant at) {
    return then(() -> model.agentAlerting(at.toEpochMilli()));
  }

  /** The agent answers: acd.end (ANSWERED), user.start, snapshots. */
  public VoiceCall agentConnected(Instant at) {
    return then(() -> model.agentConnected(at.toEpochMilli()));
  }

  /** Participant data on the customer: an attributes event, snapshots. */
  public VoiceCall attributes(Instant at, Map<String, String> attributes) {
    Map<String, String> copy = new LinkedHashMap<>(attributes);
    return then(() -> model.attributes(at.toEpochMilli(), copy));
  }

  /** The caller hangs up (customer.end ENDPOINT): in the IVR, in queue (acd.end ABANDON), or talking (user.end PEER). */
  public VoiceCall customerHangsUp(Instant at) {
    return then(() -> model.customerHangsUp(at.toEpochMilli()));
  }

  /** The agent hangs up first: user.end CLIENT, customer.end PEER. */
  public VoiceCall agentHangsUp(Instant at) {
    return then(() -> model.agentHangsUp(at.toEpochMilli()));
  }

  /** The agent finishes after-call work with a wrap-up code id: acw; the conversation ends. */
  public VoiceCall wrapup(Instant at, String codeId, String notes) {
    return wrapup(at, codeId, null, notes);
  }

  /** As {@link #wrapup(Instant, String, String)}, with the code's display name for the REST wrapup. */
  public VoiceCall wrapup(Instant at, String codeId, String codeName, String notes) {
    return then(() -> model.wrapup(at.toEpochMilli(), codeId, codeName, notes));
  }

  /** The whole answered call of the eb-voice samples (IVR, 42 s in queue, 5 min 44 s talk, 43 s wrap-up) from {@code start}. */
  public VoiceCall answered(Instant start) {
    return customerStart(start).flowStart(start.plusMillis(140)).flowEnd(start.plusMillis(21_480))
        .acdStart(start.plusMillis(21_610)).agentAlerting(start.plusMillis(63_717))
        .agentConnected(start.plusMillis(68_102))
        .attributes(start.plusMillis(70_311), Map.of("ivr.intent", "billing_dispute", "ivr.language", "en-US"))
        .customerHangsUp(start.plusMillis(412_030))
        .wrapup(start.plusMillis(455_102), "38b3e5ca-d594-4b8f-8c91-53f271079c7d", "Resolved - Refund",
            "Refund issued for duplicate charge; customer satisfied.");
  }

  /** A call abandoned after 60 s in queue, from {@code start}. */
  public VoiceCall abandoned(Instant start) {
    return customerStart(start).flowStart(start.plusMillis(140)).flowEnd(start.plusMillis(21_480))
        .acdStart(start.plusMillis(21_610)).customerHangsUp(start.plusMillis(81_610));
  }

  /** Completes when every step so far has been applied and published; fails with the first impossible step. */
  public Future<Void> done() {
    return tail;
  }

  private VoiceCall then(Supplier<List<Emission>> step) {
    tail = tail.compose(v -> publisher.apply(step));
    return this;
  }

  private Leg leg(String purpose) {
    return switch (purpose) {
      case "customer" -> model.customer;
      case "ivr" -> model.ivr;
      case "acd" -> model.acd;
      case "agent" -> model.agent;
      default -> throw new IllegalArgumentException("purpose is customer, ivr, acd or agent, not " + purpose);
    };
  }
}
