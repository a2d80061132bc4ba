package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Produces realistic Genesys Cloud conversations as EventBridge envelopes, shaped like the shipped
 * eb-voice-* and eb-multi-* samples: answered voice calls, messaging with a callback, and abandoned calls,
 * each with fresh conversation, participant, session and envelope ids, sample-like eventTime gaps, and the
 * configured redeliveries, re-publications and local swaps.
 *
 * <p>Deterministic: the same {@link GeneratorOptions} produce the same conversations, byte for byte. Against
 * a server that already saw a seed, use another seed, or every event is a duplicate.
 * Not thread-safe.
 */
public final class ConversationGenerator {

  private static final ConversationKind[] KINDS = {
      ConversationKind.VOICE, ConversationKind.MESSAGING_CALLBACK, ConversationKind.ABANDON};

  private final GeneratorOptions options;
  private final Rng rng;
  private final Directory directory;
  private final Disorder disorder;
  private long nextStart;

  public ConversationGenerator(GeneratorOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.rng = new Rng(options.seed());
    this.directory = new Directory(rng);
    this.disorder = new Disorder(rng, options);
    this.nextStart = options.epochMillis();
  }

  /** The next conversation; starts follow a Poisson process in event time. */
  public GeneratedConversation next() {
    String id = rng.uuid();
    ConversationKind kind = KINDS[rng.weighted(options.voiceWeight(), options.messagingWeight(),
        options.abandonWeight())];
    long start = nextStart;
    long mean = options.meanArrivalGapMillis();
    nextStart += rng.exponential(mean, 1, mean * 20);
    List<DetailEvent> events = switch (kind) {
      case VOICE -> VoiceScript.events(rng, directory, id, start);
      case MESSAGING_CALLBACK -> MessagingCallbackScript.events(rng, directory, id, start);
      case ABANDON -> AbandonScript.events(rng, directory, id, start);
    };
    List<Send> sends = new ArrayList<>(events.size());
    long sendTime = Long.MIN_VALUE;
    for (DetailEvent event : events) {
      // Publication lags the event by a few hundred ms, unevenly (envelope times can disagree with
      // eventTime order, as in eb-multi-08); the send order itself stays the eventTime order, so that
      // disorder comes only from the configured swaps.
      long published = event.eventTime() + rng.between(150, 700);
      sendTime = Math.max(sendTime + 1, published);
      String envelopeId = rng.uuid();
      JsonObject envelope = Envelopes.wrap(envelopeId, id, event, published, rng.uuid());
      sends.add(Send.original(id, envelopeId, sendTime, envelope.toBuffer()));
    }
    return new GeneratedConversation(id, kind, start, disorder.apply(sends));
  }

  public List<GeneratedConversation> generate(int count) {
    List<GeneratedConversation> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(next());
    }
    return out;
  }
}
