package io.switchboard.state;

import io.switchboard.message.PipelineEvent;
import io.switchboard.reorder.LatenessBounds;
import io.switchboard.reorder.ReleaseCause;
import io.switchboard.reorder.ReleaseMode;
import io.switchboard.reorder.ReorderBuffer;
import io.switchboard.reorder.ReorderSettings;
import io.switchboard.reorder.ReorderSink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reorder buffer in lifecycle release mode, driven by the shipped lifecycle as its oracle, on shuffled sample
 * conversations: what "lowest latency, best-effort order" gives, and what the default ordered mode gives instead.
 */
class ReorderWithLifecycleTest {

  private static final LifecycleDefinition LIFECYCLE = Samples.shipped();

  private record Released(List<PipelineEvent> inOrder, List<PipelineEvent> late) implements ReorderSink {
    @Override
    public void release(PipelineEvent e, ReleaseCause cause, long heldMillis) {
      inOrder.add(e);
    }

    @Override
    public boolean late(PipelineEvent e, long delayMillis) {
      late.add(e);
      return true;
    }
  }

  /** Each event delayed by a random 0–1.5 s: {arrival time, index in the conversation}, in arrival order. */
  private static List<long[]> jittered(List<PipelineEvent> conversation, int seed) {
    Random random = new Random(seed);
    List<long[]> arrivals = new ArrayList<>();
    for (int i = 0; i < conversation.size(); i++) {
      arrivals.add(new long[] {conversation.get(i).eventTime() + random.nextInt(1500), i});
    }
    arrivals.sort((a, b) -> Long.compare(a[0], b[0]));
    return arrivals;
  }

  private static ReorderBuffer buffer(ReleaseMode mode, Released sink) {
    return new ReorderBuffer(new ReorderSettings(mode, 2000, 1000, 256, 600_000), LatenessBounds.fixed(2000),
        id -> new ConversationLifecycle(LIFECYCLE), sink);
  }

  private static Released run(List<PipelineEvent> arrivals) {
    Released sink = new Released(new ArrayList<>(), new ArrayList<>());
    ReorderBuffer buffer = buffer(ReleaseMode.LIFECYCLE, sink);
    long now = 1_000;
    for (PipelineEvent e : arrivals) {
      buffer.offer(e, now);
      now += 10; // all arrive well within the window
    }
    buffer.advance(now + 5_000);
    return sink;
  }

  /**
   * Realistic disorder: each event is delayed by a random 0–1.5 s on its way (as EventBridge retries and
   * parallel deliveries do), so events close in time swap while those seconds apart keep their order.
   * Everything comes out in eventTime order except, at worst, one of two legs that ended within
   * milliseconds of each other (flagged late): holding the agent's end for the window instead would make
   * every agent-hangs-up-first conversation wait, and in-order input must not wait.
   */
  @Test
  void verifiesThatJitteredConversationsAreReleasedInEventTimeOrderWithNothingLate() {
    for (List<PipelineEvent> conversation : List.of(Samples.voice(), Samples.multichannel())) {
      for (int seed = 0; seed < 1000; seed++) {
        List<long[]> arrivals = jittered(conversation, seed);
        Released sink = new Released(new ArrayList<>(), new ArrayList<>());
        ReorderBuffer buffer = buffer(ReleaseMode.LIFECYCLE, sink);
        List<String> order = new ArrayList<>();
        for (long[] arrival : arrivals) {
          PipelineEvent e = conversation.get((int) arrival[1]);
          order.add(e.eventType());
          buffer.advance(arrival[0]);
          buffer.offer(e, arrival[0]);
        }
        buffer.advance(Long.MAX_VALUE / 2);
        assertEquals(conversation.size(), sink.inOrder().size() + sink.late().size(), "exactly once: " + order);
        List<Long> times = sink.inOrder().stream().map(PipelineEvent::eventTime).toList();
        assertEquals(times.stream().sorted().toList(), times, "in-order releases sorted: " + order);
        // The only ambiguity left: two legs ending within milliseconds (customer and agent hang-ups).
        for (PipelineEvent late : sink.late()) {
          assertTrue(times.stream().anyMatch(t -> t > late.eventTime() && t - late.eventTime() <= 100),
              late.eventType() + " late, but nothing released within 100 ms after it; arrival " + order);
        }
      }
    }
  }

  /**
   * Adversarial disorder: whole conversations shuffled within the window. An event that is the expected
   * next step may overtake one still in flight, which then arrives late: it is flagged, never lost, and
   * everything released in order is sorted by eventTime.
   */
  @Test
  void verifiesThatFullyShuffledConversationsLoseNothingAndReleaseInOrderWhatIsNotLate() {
    for (List<PipelineEvent> conversation : List.of(Samples.voice(), Samples.multichannel())) {
      for (int seed = 0; seed < 500; seed++) {
        List<PipelineEvent> arrivals = new ArrayList<>(conversation);
        Collections.shuffle(arrivals, new Random(seed));
        Released out = run(arrivals);
        String order = arrivals.stream().map(PipelineEvent::eventType).toList().toString();
        assertEquals(conversation.size(), out.inOrder().size() + out.late().size(), "exactly once: " + order);
        out.late().forEach(e -> assertTrue(e.late(), "late events are flagged"));
        List<Long> times = out.inOrder().stream().map(PipelineEvent::eventTime).toList();
        assertEquals(times.stream().sorted().toList(), times, "in-order releases sorted: " + order);
      }
    }
  }

  @Test
  void verifiesThatInOrderSampleConversationsAreReleasedWithoutWaiting() {
    for (List<PipelineEvent> conversation : List.of(Samples.voice(), Samples.multichannel())) {
      Released sink = new Released(new ArrayList<>(), new ArrayList<>());
      ReorderBuffer buffer = buffer(ReleaseMode.LIFECYCLE, sink);
      for (PipelineEvent e : conversation) {
        buffer.offer(e, 1_000);
      }
      assertEquals(conversation.size(), sink.inOrder().size(), "released at once, no advance needed");
      assertEquals(0, buffer.bufferedEvents());
    }
  }

  /** The same jitter in the default ordered mode: nothing late at all, everything in eventTime order. */
  @Test
  void verifiesThatOrderedModeReleasesJitteredConversationsFullyInOrder() {
    for (List<PipelineEvent> conversation : List.of(Samples.voice(), Samples.multichannel())) {
      for (int seed = 0; seed < 1000; seed++) {
        List<long[]> arrivals = jittered(conversation, seed);
        Released sink = new Released(new ArrayList<>(), new ArrayList<>());
        ReorderBuffer buffer = buffer(ReleaseMode.ORDERED, sink);
        for (long[] arrival : arrivals) {
          buffer.advance(arrival[0]);
          buffer.offer(conversation.get((int) arrival[1]), arrival[0]);
        }
        buffer.advance(Long.MAX_VALUE / 2);
        assertEquals(List.of(), sink.late(), "seed " + seed);
        List<Long> times = sink.inOrder().stream().map(PipelineEvent::eventTime).toList();
        assertEquals(conversation.stream().map(PipelineEvent::eventTime).sorted().toList(), times, "seed " + seed);
      }
    }
  }
}
