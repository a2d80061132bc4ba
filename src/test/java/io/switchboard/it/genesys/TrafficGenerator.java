package io.switchboard.it.genesys;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Keeps realistic voice traffic flowing through an emulator in real time, for try-outs: a new inbound call every
 * {@code 60 / callsPerMinute} seconds into a random queue, through the IVR, a wait in queue, then either an abandon
 * (15%) or an agent who answers, talks, and wraps up; the caller hangs up first 70% of the time. Durations are
 * compressed (seconds, not minutes) so a try-out shows whole conversations.
 */
final class TrafficGenerator extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(TrafficGenerator.class);
  private static final List<String> WRAPUP_CODES = List.of("38b3e5ca-d594-4b8f-8c91-53f271079c7d",
      "7f0c4f3e-2b2d-4a59-9a5e-1f7b8c6d5e4a", "c2d9e8f7-6a5b-4c3d-8e2f-1a0b9c8d7e6f");

  private final GenesysEmulator emulator;
  private final List<String> queues;
  private final List<String> agents;
  private final int callsPerMinute;
  private final Random random;
  private long timer = -1;
  private long calls;

  TrafficGenerator(GenesysEmulator emulator, List<String> queues, List<String> agents, int callsPerMinute, long seed) {
    this.emulator = Objects.requireNonNull(emulator);
    this.queues = List.copyOf(queues);
    this.agents = List.copyOf(agents);
    if (callsPerMinute < 1) {
      throw new IllegalArgumentException("callsPerMinute must be >= 1");
    }
    this.callsPerMinute = callsPerMinute;
    this.random = new Random(seed);
  }

  @Override
  public Future<?> start() {
    startCall();
    timer = vertx.setPeriodic(60_000L / callsPerMinute, id -> startCall());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void startCall() {
    String conversationId = UUID.randomUUID().toString();
    String queue = queues.get(random.nextInt(queues.size()));
    String agent = agents.get(random.nextInt(agents.size()));
    VoiceSpec spec = VoiceSpec.of(conversationId, queue, agent)
        .withCaller(String.format("tel:+1555%07d", random.nextInt(10_000_000)), "Caller " + (++calls));
    if (random.nextBoolean()) {
      spec = spec.withExternalContactId(UUID.randomUUID().toString());
    }
    VoiceCall call = emulator.conversations().voice(spec);
    List<Step> steps = new ArrayList<>();
    steps.add(new Step(0, c -> c.customerStart(Instant.now())));
    steps.add(new Step(150, c -> c.flowStart(Instant.now())));
    steps.add(new Step(between(2_000, 5_000), c -> c.flowEnd(Instant.now())));
    steps.add(new Step(100, c -> c.acdStart(Instant.now())));
    if (random.nextInt(100) < 15) {
      steps.add(new Step(between(3_000, 15_000), c -> c.customerHangsUp(Instant.now())));
    } else {
      boolean customerHangsUp = random.nextInt(100) < 70;
      String code = WRAPUP_CODES.get(random.nextInt(WRAPUP_CODES.size()));
      steps.add(new Step(between(2_000, 10_000), c -> c.agentAlerting(Instant.now())));
      steps.add(new Step(between(1_000, 4_000), c -> c.agentConnected(Instant.now())));
      steps.add(new Step(500, c -> c.attributes(Instant.now(), Map.of("ivr.intent", "billing", "crm.caseId",
          "CASE-" + random.nextInt(100_000)))));
      steps.add(new Step(between(10_000, 60_000), c -> {
        if (customerHangsUp) {
          c.customerHangsUp(Instant.now());
        } else {
          c.agentHangsUp(Instant.now());
        }
      }));
      steps.add(new Step(between(3_000, 10_000), c -> c.wrapup(Instant.now(), code, "generated call")));
    }
    LOG.info("call [{}] into queue [{}] (agent [{}] if answered)", conversationId, queue, agent);
    play(call, steps, 0);
  }

  private void play(VoiceCall call, List<Step> steps, int next) {
    if (next == steps.size()) {
      call.done().onFailure(e -> LOG.warn("call [{}] failed: {}", call.conversationId(), e.getMessage()));
      return;
    }
    Step step = steps.get(next);
    Runnable run = () -> {
      step.action().accept(call);
      play(call, steps, next + 1);
    };
    if (step.afterMillis() == 0) {
      run.run();
    } else {
      vertx.setTimer(step.afterMillis(), id -> run.run());
    }
  }

  private long between(long min, long max) {
    return min + (long) (random.nextDouble() * (max - min));
  }

  private record Step(long afterMillis, Consumer<VoiceCall> action) {
  }
}
