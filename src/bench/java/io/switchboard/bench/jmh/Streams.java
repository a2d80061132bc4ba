package io.switchboard.bench.jmh;

import io.switchboard.bench.ConversationGenerator;
import io.switchboard.bench.GeneratedConversation;
import io.switchboard.bench.GeneratorOptions;
import io.switchboard.bench.Send;
import io.switchboard.ingest.EventNormalizer;
import io.switchboard.message.PipelineEvent;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.state.ApplyResult;
import io.switchboard.state.ConversationStore;
import io.switchboard.state.StateSettings;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Event streams made by the load generator's {@link ConversationGenerator} (70 % answered voice, 15 % messaging
 * with a callback, 15 % abandoned calls; fresh UUIDs everywhere) and normalised by the real {@link EventNormalizer},
 * so every benchmark downstream of ingest sees what the running pipeline would hand it. No redeliveries,
 * re-publications or swaps: dedup removes the first two upstream of every stage measured here, and disorder is
 * added explicitly where it is the point ({@link #shuffled}).
 */
public final class Streams {

  /** Fixed, so every run measures the same bytes. */
  public static final long SEED = 20_260_101L;

  private Streams() {
  }

  /** The envelopes of {@code conversations} generated conversations, in arrival order. */
  public static List<Send> sends(int conversations, int voiceWeight, int messagingWeight, int abandonWeight) {
    GeneratorOptions options = new GeneratorOptions(SEED, GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250,
        voiceWeight, messagingWeight, abandonWeight, 0, 0, 0);
    List<Send> sends = new ArrayList<>();
    for (GeneratedConversation conversation : new ConversationGenerator(options).generate(conversations)) {
      sends.addAll(conversation.sends());
    }
    // Conversations overlap in time; the pipeline sees them interleaved by when each envelope was published.
    sends.sort(Comparator.comparingLong(Send::virtualTime));
    return sends;
  }

  /** The first {@code events} arrivals of the default conversation mix, normalised. */
  public static List<Arrival> arrivals(int events) {
    EventNormalizer normalizer = Fixtures.normalizer();
    List<Send> sends = sends(events / 5 + 16, 70, 15, 15);
    if (sends.size() < events) {
      throw new IllegalStateException("generated " + sends.size() + " events, wanted " + events);
    }
    List<Arrival> out = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      Send send = sends.get(i);
      out.add(new Arrival(Fixtures.normalize(normalizer, send.body(), i), send.virtualTime()));
    }
    return out;
  }

  /**
   * The first {@code events} arrivals as the state stage publishes them to the dispatchers: applied in order to
   * a conversation store (shipped lifecycle), each with the snapshot bytes taken right after it.
   */
  public static List<ProcessedEvent> processed(int events) {
    ConversationStore store = new ConversationStore(Fixtures.lifecycle(), StateSettings.DEFAULTS);
    List<ProcessedEvent> out = new ArrayList<>(events);
    for (Arrival arrival : arrivals(events)) {
      PipelineEvent event = arrival.event();
      ApplyResult result = store.apply(event, arrival.at());
      if (!result.applied()) {
        throw new IllegalStateException("lifecycle rejected " + event.eventType() + ": " + result.transition());
      }
      out.add(new ProcessedEvent(event, result.state(), result.stage(),
          store.get(event.conversationId()).snapshot().toBuffer(), arrival.at()));
    }
    return out;
  }

  /** Answered voice calls only, each as its ten events in eventTime order. */
  public static List<List<PipelineEvent>> voiceConversations(int conversations) {
    EventNormalizer normalizer = Fixtures.normalizer();
    GeneratorOptions options = new GeneratorOptions(SEED, GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250,
        1, 0, 0, 0, 0, 0);
    List<List<PipelineEvent>> out = new ArrayList<>(conversations);
    long seq = 0;
    for (GeneratedConversation conversation : new ConversationGenerator(options).generate(conversations)) {
      List<PipelineEvent> events = new ArrayList<>();
      for (Send send : conversation.sends()) {
        events.add(Fixtures.normalize(normalizer, send.body(), seq++));
      }
      out.add(List.copyOf(events));
    }
    return out;
  }

  /**
   * The same events with each arrival delayed by a uniform random {@code [0, maxDelayMillis)}, then re-sorted
   * by arrival: events of a conversation that were closer than the delay swap places, as when EventBridge
   * retries or parallel API-destination connections overtake each other. With a delay below the reorder
   * window an overtaken event always arrives while its successor is still held, unless the successor was itself
   * a valid next step and left at once: then the overtaken one is late (flagged and passed on).
   */
  public static List<Arrival> shuffled(List<Arrival> inOrder, long maxDelayMillis, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<Arrival> out = new ArrayList<>(inOrder.size());
    for (Arrival arrival : inOrder) {
      out.add(new Arrival(arrival.event(), arrival.at() + random.nextLong(maxDelayMillis)));
    }
    out.sort(Comparator.comparingLong(Arrival::at));
    return out;
  }
}
