package io.switchboard.codecs;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.message.Verdict;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Registers every Switchboard message codec as the default codec of its record type, so senders need no
 * delivery options. Call once per {@code Vertx} on every node; calling it again is harmless.
 */
public final class Codecs {

  private Codecs() {
  }

  public static void registerAll(EventBus bus) {
    register(bus, PipelineEvent.class, new PipelineEventCodec());
    register(bus, ProcessedEvent.class, new ProcessedEventCodec());
    register(bus, DeadLetter.class, new DeadLetterCodec());
    register(bus, Settlement.class, new SettlementCodec());
    register(bus, Verdict.class, new VerdictCodec());
  }

  private static <T> void register(EventBus bus, Class<T> type, MessageCodec<T, ?> codec) {
    try {
      bus.registerDefaultCodec(type, codec);
    } catch (IllegalStateException alreadyRegistered) {
      // Idempotent by design: tests and the main verticle may both register on one Vertx.
    }
  }
}
