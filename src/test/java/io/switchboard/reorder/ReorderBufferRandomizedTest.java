package io.switchboard.reorder;

import io.switchboard.message.PipelineEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static io.switchboard.reorder.TestEvents.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random workloads: many conversations, each a run of events with increasing (sometimes equal) event
 * times, arriving after a random delivery delay and interleaved by arrival. The buffer is driven like the
 * verticle drives it: one timer armed from {@link ReorderBuffer#nextDeadline()}. A fixed bound of {@code WINDOW};
 * every property holds in both release modes, since the oracle here is truthful.
 */
class ReorderBufferRandomizedTest {

  private static final long WINDOW = 2_000;

  @ParameterizedTest
  @EnumSource(ReleaseMode.class)
  void verifiesThatEventsDisplacedByLessThanTheWindowComeOutSortedExactlyOnceAndWithinTheWindow(ReleaseMode mode) {
    for (long seed = 1; seed <= 3; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<Planned> plan = plan(random, 300, 40, 60_000, 0.0);
      Run run = run(new ReorderSettings(mode, WINDOW, 1_000, 256, 600_000), plan, random);

      run.assertEachEventHandedOverOnce();
      for (RecordingSink.Out out : run.sink.out) {
        assertFalse(out.late() || out.early(), () -> "not in order: " + out);
        assertTrue(out.at() - run.arrival(out) <= WINDOW, () -> "held longer than the window: " + out);
      }
      Map<String, List<Planned>> expected = plan.stream()
          .sorted(Comparator.comparingLong((Planned p) -> p.event().eventTime()).thenComparingInt(Planned::order))
          .collect(Collectors.groupingBy(p -> p.event().conversationId()));
      Map<String, List<Long>> released = run.releasedSeqsByConversation();
      expected.forEach((conversation, events) -> assertEquals(
          events.stream().map(p -> p.event().ticket().seq()).toList(), released.get(conversation),
          "eventTime order, ties in arrival order, for " + conversation));
      assertTrue(run.oracles.stream().allMatch(IndexOracle::isFinished));
    }
  }

  @ParameterizedTest
  @EnumSource(ReleaseMode.class)
  void verifiesThatOnlyEventsDelayedByAWholeWindowAreLate(ReleaseMode mode) {
    for (long seed = 11; seed <= 13; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<Planned> plan = plan(random, 300, 40, 60_000, 0.05);
      Run run = run(new ReorderSettings(mode, WINDOW, 1_000, 256, 600_000), plan, random);

      run.assertEachEventHandedOverOnce();
      run.assertInOrderReleasesNeverGoBackInTime();
      Map<Long, Planned> bySeq = run.bySeq();
      int late = 0;
      for (RecordingSink.Out out : run.sink.out) {
        assertFalse(out.early());
        Planned planned = bySeq.get(out.event().ticket().seq());
        if (!out.late()) {
          assertTrue(out.at() - planned.arrival() <= WINDOW, () -> "held longer than the window: " + out);
          continue;
        }
        late++;
        boolean overtakenByAWholeWindow = plan.stream().anyMatch(other ->
            other.event().conversationId().equals(planned.event().conversationId())
                && other.event().eventTime() > planned.event().eventTime()
                && planned.arrival() - other.arrival() >= WINDOW);
        assertTrue(overtakenByAWholeWindow, () -> "late without a later event arriving a window before it: " + out);
      }
      assertTrue(late > 50, "the workload produces late events: " + late);
    }
  }

  @ParameterizedTest
  @EnumSource(ReleaseMode.class)
  void verifiesThatTightBoundsNeverLoseAnEventNorReorderWithinAConversationsLifetime(ReleaseMode mode) {
    for (long seed = 21; seed <= 23; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      List<Planned> plan = plan(random, 200, 30, 20_000, 0.2);
      ReorderSettings settings = new ReorderSettings(mode, WINDOW, 16, 3, WINDOW);
      Run run = run(settings, plan, random);

      run.assertEachEventHandedOverOnce();
      run.assertInOrderReleasesNeverGoBackInTime();
      assertTrue(run.oracles.size() > 200, "conversations were evicted and came back: " + run.oracles.size());
      assertTrue(run.sink.out.stream().anyMatch(RecordingSink.Out::early));
      for (RecordingSink.Out out : run.sink.out) {
        if (!out.early() && !out.late()) {
          assertTrue(out.at() - run.arrival(out) <= WINDOW, () -> "held longer than the window: " + out);
        }
      }
    }
  }

  /** One event of the plan; {@code order} is its rank in arrival order. */
  private record Planned(PipelineEvent event, long arrival, int order) {
  }

  private static List<Planned> plan(SplittableRandom random, int conversations, int eventsEach, long spread,
                                    double delayedFraction) {
    List<Planned> plan = new ArrayList<>();
    long seq = 0;
    for (int c = 0; c < conversations; c++) {
      long eventTime = random.nextLong(spread);
      for (int i = 0; i < eventsEach; i++) {
        eventTime += random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(400);
        long delay = random.nextDouble() < delayedFraction
            ? WINDOW + random.nextLong(2 * WINDOW)
            : random.nextLong(WINDOW);
        // One in five is a step the oracle never expects (say, an attribute update): it waits out the window.
        String type = (random.nextInt(5) == 0 ? "attr-" : "step-") + i;
        plan.add(new Planned(event("c" + c, type, eventTime, ++seq), eventTime + 50 + delay, 0));
      }
    }
    Collections.shuffle(plan, new Random(random.nextLong()));
    plan.sort(Comparator.comparingLong(Planned::arrival));
    List<Planned> ordered = new ArrayList<>(plan.size());
    for (int i = 0; i < plan.size(); i++) {
      ordered.add(new Planned(plan.get(i).event(), plan.get(i).arrival(), i));
    }
    return ordered;
  }

  private static Run run(ReorderSettings settings, List<Planned> plan, SplittableRandom random) {
    Map<String, Integer> sizes = new HashMap<>();
    plan.forEach(p -> sizes.merge(p.event().conversationId(), 1, Integer::sum));
    Run run = new Run(plan, new RecordingSink(event -> random.nextInt(4) != 0));
    ReorderBuffer buffer = new ReorderBuffer(settings, LatenessBounds.fixed(WINDOW), id -> {
      IndexOracle oracle = new IndexOracle(sizes.get(id));
      run.oracles.add(oracle);
      return oracle;
    }, run.sink);
    for (Planned planned : plan) {
      fireTimersUpTo(buffer, run.sink, planned.arrival());
      run.sink.now = planned.arrival();
      buffer.offer(planned.event(), planned.arrival());
      assertTrue(buffer.conversations() <= settings.maxConversations());
      assertTrue(buffer.bufferedEvents() <= buffer.conversations() * settings.maxEventsPerConversation());
    }
    fireTimersUpTo(buffer, run.sink, Long.MAX_VALUE - 1);
    assertEquals(0, buffer.bufferedEvents());
    assertEquals(0, buffer.conversations(), "every conversation finishes or idles out");
    assertEquals(Long.MAX_VALUE, buffer.nextDeadline());
    return run;
  }

  private static void fireTimersUpTo(ReorderBuffer buffer, RecordingSink sink, long until) {
    for (long next; (next = buffer.nextDeadline()) <= until; ) {
      long due = next;
      assertTrue(due >= sink.now, () -> "a deadline in the past: " + due + " < " + sink.now);
      sink.now = due;
      buffer.advance(due);
      assertTrue(buffer.nextDeadline() > due, "advance(nextDeadline()) makes progress");
    }
  }

  /** What one run produced. */
  private static final class Run {
    final List<Planned> plan;
    final RecordingSink sink;
    final List<IndexOracle> oracles = new ArrayList<>();
    private final Map<Long, Planned> bySeq;

    Run(List<Planned> plan, RecordingSink sink) {
      this.plan = plan;
      this.sink = sink;
      this.bySeq = plan.stream().collect(Collectors.toMap(p -> p.event().ticket().seq(), p -> p));
    }

    Map<Long, Planned> bySeq() {
      return bySeq;
    }

    long arrival(RecordingSink.Out out) {
      return bySeq.get(out.event().ticket().seq()).arrival();
    }

    Map<String, List<Long>> releasedSeqsByConversation() {
      return sink.out.stream().collect(Collectors.groupingBy(o -> o.event().conversationId(),
          Collectors.mapping(o -> o.event().ticket().seq(), Collectors.toList())));
    }

    void assertEachEventHandedOverOnce() {
      Map<Long, Long> counts = sink.out.stream()
          .collect(Collectors.groupingBy(o -> o.event().ticket().seq(), Collectors.counting()));
      assertEquals(plan.size(), counts.size(), "every event came out");
      assertTrue(counts.values().stream().allMatch(n -> n == 1), "no event came out twice");
    }

    void assertInOrderReleasesNeverGoBackInTime() {
      for (IndexOracle oracle : oracles) {
        for (int i = 1; i < oracle.inOrder.size(); i++) {
          assertTrue(oracle.inOrder.get(i - 1).eventTime() <= oracle.inOrder.get(i).eventTime(),
              "released out of eventTime order");
        }
      }
    }
  }

  /**
   * A truthful oracle: it expects the conversation's lowest step not yet released, by the index in the event
   * type, and never expects "attr-" events. Finished when every step was released.
   */
  private static final class IndexOracle implements NextStepOracle {
    private final int steps;
    private final BitSet released = new BitSet();
    final List<PipelineEvent> inOrder = new ArrayList<>();

    IndexOracle(int steps) {
      this.steps = steps;
    }

    @Override
    public boolean isExpectedNext(PipelineEvent event) {
      return event.eventType().startsWith("step-") && index(event) == released.nextClearBit(0);
    }

    @Override
    public void onReleased(PipelineEvent event) {
      released.set(index(event));
      if (!event.late()) {
        inOrder.add(event);
      }
    }

    @Override
    public boolean isFinished() {
      return released.nextClearBit(0) >= steps;
    }

    private static int index(PipelineEvent event) {
      return Integer.parseInt(event.eventType().substring(event.eventType().indexOf('-') + 1));
    }
  }
}
