package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.switchboard.reorder.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ordered buffer with a learned bound, against a model, on seeded random traffic and a fake clock: many
 * conversations interleaved; 10 % of adjacent pairs swapped, the earlier one arriving 1–30 ms after its partner;
 * a tail of 0.05 % of events delayed 3–6 s, which the next event overtakes. The model: per conversation, eventTime order; an event may break
 * it only by arriving at least {@code L} (as in force when the later event arrived) after a later event.
 */
class LearnedBoundModelTest {

  private static final LearningSettings LEARNING = new LearningSettings(2_000, 10, 2_000, 0.99, 2.0, 60_000, 500);

  @Test
  void verifiesThatOnlyEventsBeyondTheLearnedBoundAreLateAndEverythingElseIsInEventTimeOrder() {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<Arrival> arrivals = traffic(random, 3_000);
      Map<Long, Long> boundAtArrival = new HashMap<>();
      LearnedLatenessBound learned = new LearnedLatenessBound(LEARNING);
      long[] lastBound = new long[1];
      LatenessBound watched = new LatenessBound() {
        @Override
        public long millis(long nowMillis) {
          return lastBound[0] = learned.millis(nowMillis);
        }

        @Override
        public void arrived(long nowMillis) {
          learned.arrived(nowMillis);
        }

        @Override
        public void disordered(long delayMillis, long nowMillis) {
          learned.disordered(delayMillis, nowMillis);
        }
      };
      RecordingSink sink = new RecordingSink();
      ReorderBuffer buffer = new ReorderBuffer(new ReorderSettings(ReleaseMode.ORDERED, 2_000, 100_000, 256, 600_000),
          new LatenessBounds(source -> watched), id -> new ScriptedOracle(List.of()), sink);
      for (Arrival arrival : arrivals) {
        advanceTo(buffer, sink, arrival.at());
        sink.now = arrival.at();
        lastBound[0] = -1;
        buffer.offer(arrival.event(), arrival.at());
        boundAtArrival.put(arrival.event().ticket().seq(), lastBound[0]);
      }
      advanceTo(buffer, sink, Long.MAX_VALUE / 2);

      Map<Long, Arrival> bySeq = new HashMap<>();
      arrivals.forEach(a -> bySeq.put(a.event().ticket().seq(), a));
      assertEquals(arrivals.size(), sink.out.size(), "nothing lost");
      assertEquals(arrivals.size(), sink.out.stream().map(o -> o.event().ticket().seq()).distinct().count(),
          "nothing twice");
      Map<String, Long> latestOut = new HashMap<>();
      int late = 0;
      for (RecordingSink.Out out : sink.out) {
        PipelineEvent e = out.event();
        long latest = latestOut.getOrDefault(e.conversationId(), Long.MIN_VALUE);
        boolean violation = e.eventTime() < latest;
        assertEquals(violation, out.late(), () -> "late flag iff out of order: " + e.eventType());
        if (violation) {
          late++;
          Arrival mine = bySeq.get(e.ticket().seq());
          boolean beyondBound = arrivals.stream().anyMatch(other -> other.event().conversationId().equals(e.conversationId())
              && other.event().eventTime() > e.eventTime()
              && mine.at() - other.at() >= boundAtArrival.get(other.event().ticket().seq()));
          assertTrue(beyondBound, () -> "late within the bound: " + e.conversationId() + " " + e.eventType());
        }
        latestOut.merge(e.conversationId(), e.eventTime(), Math::max);
      }
      long delayedTail = arrivals.stream().filter(Arrival::tail).count();
      assertTrue(late <= delayedTail, "only the tail is late: " + late + " of " + delayedTail);
      assertTrue(late >= delayedTail / 2, "the tail is overtaken, so it is late: " + late + " of " + delayedTail);
      long l = learned.millis(arrivals.get(arrivals.size() - 1).at());
      assertTrue(l >= 50 && l <= 80, "L covers the 1–30 ms swaps with the safety factor: " + l);
    }
  }

  private record Arrival(PipelineEvent event, long at, boolean tail) {
  }

  /** Conversations of 7 events 1–3 s apart, starting every 20 ms, events sent at their event time. */
  private static List<Arrival> traffic(SplittableRandom random, int conversations) {
    List<Arrival> out = new ArrayList<>();
    long seq = 0;
    for (int c = 0; c < conversations; c++) {
      long time = 1_000_000 + c * 20L;
      List<Arrival> conversation = new ArrayList<>();
      for (int i = 0; i < 7; i++) {
        time += random.nextLong(1_000, 3_000);
        boolean tail = random.nextInt(2_000) == 0;
        long at = time + (tail ? random.nextLong(3_000, 6_000) : 0);
        conversation.add(new Arrival(event("c" + c, "e" + i, time, ++seq), at, tail));
      }
      for (int i = 0; i + 1 < conversation.size(); i++) {
        if (random.nextInt(10) == 0 && !conversation.get(i).tail() && !conversation.get(i + 1).tail()) {
          Arrival earlier = conversation.get(i);
          Arrival later = conversation.get(i + 1);
          conversation.set(i, new Arrival(earlier.event(), later.at() + random.nextLong(1, 31), false));
          i++;
        }
      }
      out.addAll(conversation);
    }
    out.sort(Comparator.comparingLong(Arrival::at));
    return out;
  }

  private static void advanceTo(ReorderBuffer buffer, RecordingSink sink, long until) {
    for (long next; (next = buffer.nextDeadline()) <= until; ) {
      sink.now = next;
      buffer.advance(next);
    }
  }
}
