package io.switchboard.bench;

import java.util.Objects;

/**
 * What {@link ConversationGenerator} makes: the seed, the event-time base, how often conversations start,
 * the mix of conversation kinds, and which delivery defects to inject ({@link Disorder}).
 *
 * @param seed                 the same seed yields byte-identical envelopes, ids included
 * @param epochMillis          eventTime of the first conversation's first event
 * @param meanArrivalGapMillis mean event-time gap between conversation starts (exponential)
 * @param voiceWeight          relative share of {@link ConversationKind#VOICE}
 * @param messagingWeight      relative share of {@link ConversationKind#MESSAGING_CALLBACK}
 * @param abandonWeight        relative share of {@link ConversationKind#ABANDON}
 * @param duplicateRatio       chance that an event is re-sent as the same envelope (same id)
 * @param republishRatio       chance that an event is re-published: same content, new envelope id
 * @param swapRatio            chance that an event swaps places with the next event of its conversation
 * @param bursts               runs of events sent back to back in another order; {@link BurstOptions#NONE} for none
 * @param delays               events held back by a long real-time delay; {@link DelayOptions#NONE} for none
 */
public record GeneratorOptions(long seed, long epochMillis, long meanArrivalGapMillis, int voiceWeight,
                               int messagingWeight, int abandonWeight, double duplicateRatio,
                               double republishRatio, double swapRatio, BurstOptions bursts, DelayOptions delays) {

  /** 2025-03-12T09:00:00Z: fixed rather than "now", so that a seed reproduces the exact same bodies. */
  public static final long DEFAULT_EPOCH_MILLIS = 1_741_770_000_000L;

  public GeneratorOptions {
    if (meanArrivalGapMillis < 1) {
      throw new IllegalArgumentException("meanArrivalGapMillis must be >= 1, got " + meanArrivalGapMillis);
    }
    if (voiceWeight < 0 || messagingWeight < 0 || abandonWeight < 0
        || voiceWeight + messagingWeight + abandonWeight == 0) {
      throw new IllegalArgumentException("mix weights must be >= 0 and not all 0, got "
          + voiceWeight + "," + messagingWeight + "," + abandonWeight);
    }
    ratio("duplicateRatio", duplicateRatio);
    ratio("republishRatio", republishRatio);
    ratio("swapRatio", swapRatio);
    Objects.requireNonNull(bursts, "bursts");
    Objects.requireNonNull(delays, "delays");
  }

  /** Swaps, redeliveries and re-publications only: no bursts, no long delays. */
  public GeneratorOptions(long seed, long epochMillis, long meanArrivalGapMillis, int voiceWeight,
                          int messagingWeight, int abandonWeight, double duplicateRatio, double republishRatio,
                          double swapRatio) {
    this(seed, epochMillis, meanArrivalGapMillis, voiceWeight, messagingWeight, abandonWeight, duplicateRatio,
        republishRatio, swapRatio, BurstOptions.NONE, DelayOptions.NONE);
  }

  /** These options with other bursts and delays. */
  public GeneratorOptions with(BurstOptions otherBursts, DelayOptions otherDelays) {
    return new GeneratorOptions(seed, epochMillis, meanArrivalGapMillis, voiceWeight, messagingWeight, abandonWeight,
        duplicateRatio, republishRatio, swapRatio, otherBursts, otherDelays);
  }

  /**
   * A contact-centre-like default: 70 % voice, 15 % messaging with callback, 15 % abandons; a conversation
   * starting every 250 ms of event time on average; 1 % redeliveries, 0.5 % re-publishes, 2 % local swaps; no
   * bursts and no long delays.
   */
  public static GeneratorOptions defaults(long seed) {
    return new GeneratorOptions(seed, DEFAULT_EPOCH_MILLIS, 250, 70, 15, 15, 0.01, 0.005, 0.02);
  }

  private static void ratio(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1, got " + value);
    }
  }
}
