package io.switchboard.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disorder model: swaps, bursts and long delays, all from the seed, in about the configured proportions;
 * bursts really reorder, and a held send really reaches the server after its successors, by its hold. Run with
 * {@code mvn -o -Pbench test -Dtest=DisorderTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class DisorderTest {

  private static final int EVENTS = 20_000;

  /** One long conversation: event i at eventTime and virtual time i seconds, in order. */
  private static List<Send> inOrder(int events) {
    return IntStream.range(0, events).mapToObj(i -> Send.original("c", "e" + i, i * 1_000L, Buffer.buffer(
        "{\"id\":\"e" + i + "\",\"detail\":{\"eventBody\":{\"eventTime\":" + i * 1_000L + "}}}"))).toList();
  }

  private static List<Send> disorder(long seed, double swaps, BurstOptions bursts, DelayOptions delays) {
    GeneratorOptions options = new GeneratorOptions(seed, GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250, 1, 1, 1, 0, 0,
        swaps, bursts, delays);
    return new Disorder(new Rng(seed), options).apply(inOrder(EVENTS));
  }

  private static long eventTime(Send send) {
    return EnvelopeFields.scan(send.body()).eventTime();
  }

  /** Runs of sends that share a virtual time: a swap or a burst, sent back to back. */
  private static List<List<Send>> runs(List<Send> sends) {
    Map<Long, List<Send>> byTime = new LinkedHashMap<>();
    sends.forEach(send -> byTime.computeIfAbsent(send.virtualTime(), t -> new ArrayList<>()).add(send));
    return byTime.values().stream().filter(run -> run.size() > 1).toList();
  }

  @Test
  void verifiesThatWithoutBurstsAndDelaysTheGeneratorSendsWhatItSentBefore() {
    GeneratorOptions today = GeneratorOptions.defaults(3);
    GeneratorOptions idle = today.with(new BurstOptions(0, 9, BurstOptions.Order.REVERSE),
        new DelayOptions(0, 10, 20, DelayOptions.Distribution.UNIFORM));
    List<GeneratedConversation> before = new ConversationGenerator(today).generate(300);
    assertEquals(before, new ConversationGenerator(idle).generate(300), "a ratio of 0 draws nothing from the seed");
    assertTrue(before.stream().flatMap(c -> c.sends().stream()).allMatch(s -> s.holdMillis() == 0));
  }

  @Test
  void verifiesThatTheSameSeedGivesTheSameDisorderAndAnotherSeedAnother() {
    BurstOptions bursts = new BurstOptions(0.05, 4, BurstOptions.Order.SHUFFLE);
    DelayOptions delays = new DelayOptions(0.02, 500, 5_000, DelayOptions.Distribution.LOG_UNIFORM);
    assertEquals(disorder(11, 0.02, bursts, delays), disorder(11, 0.02, bursts, delays));
    assertNotEquals(disorder(11, 0.02, bursts, delays), disorder(12, 0.02, bursts, delays));
  }

  @Test
  void verifiesThatBurstsReorderRunsOfTheConfiguredSizeAtAboutTheConfiguredRatio() {
    for (BurstOptions.Order order : BurstOptions.Order.values()) {
      BurstOptions bursts = new BurstOptions(0.05, 4, order);
      List<List<Send>> runs = runs(disorder(21, 0, bursts, DelayOptions.NONE));
      // Each event not already in a burst starts one with chance r, and a burst covers 4 events.
      double expected = EVENTS * 0.05 / (1 + 0.05 * 3);
      assertTrue(Math.abs(runs.size() - expected) < expected * 0.15, order + ": " + runs.size() + " bursts");
      for (List<Send> run : runs) {
        assertEquals(4, run.size());
        List<Long> times = run.stream().map(DisorderTest::eventTime).toList();
        List<Long> sorted = new ArrayList<>(times);
        Collections.sort(sorted);
        assertNotEquals(sorted, times, "a burst is never sent in order");
        assertEquals(sorted.get(0) + 3_000, sorted.get(3), "a burst is a run of consecutive events");
        if (order == BurstOptions.Order.REVERSE) {
          Collections.reverse(sorted);
          assertEquals(sorted, times);
        }
      }
    }
  }

  @Test
  void verifiesThatSwapsAndBurstsMixAtTheirRatios() {
    List<List<Send>> runs = runs(disorder(31, 0.05, new BurstOptions(0.02, 5, BurstOptions.Order.SHUFFLE),
        DelayOptions.NONE));
    long swaps = runs.stream().filter(run -> run.size() == 2).count();
    long bursts = runs.stream().filter(run -> run.size() == 5).count();
    assertEquals(runs.size(), swaps + bursts);
    // Per position not already taken: a burst with chance 0.02, else a swap with 0.05 (of the remaining 0.98).
    double starts = EVENTS / (1 + 0.02 * 4 + 0.98 * 0.05 * 1);
    assertTrue(Math.abs(bursts - starts * 0.02) < starts * 0.02 * 0.2, "bursts: " + bursts);
    assertTrue(Math.abs(swaps - starts * 0.98 * 0.05) < starts * 0.98 * 0.05 * 0.2, "swaps: " + swaps);
  }

  @Test
  void verifiesThatDelaysHoldAboutTheConfiguredShareWithinTheRangeAndCopiesFollow() {
    for (DelayOptions.Distribution distribution : DelayOptions.Distribution.values()) {
      DelayOptions delays = new DelayOptions(0.02, 500, 5_000, distribution);
      GeneratorOptions options = new GeneratorOptions(41, GeneratorOptions.DEFAULT_EPOCH_MILLIS, 250, 1, 1, 1, 0.3,
          0.3, 0, BurstOptions.NONE, delays);
      List<Send> sends = new Disorder(new Rng(41), options).apply(inOrder(EVENTS));
      List<Long> holds = new ArrayList<>();
      Map<String, Long> originals = new LinkedHashMap<>();
      for (Send send : sends) {
        if (send.copy() == Send.Copy.ORIGINAL) {
          originals.put(send.expectedId(), send.holdMillis());
          if (send.holdMillis() > 0) {
            holds.add(send.holdMillis());
          }
        } else {
          assertEquals(originals.get(send.expectedId()), send.holdMillis(), "a copy is held as its original");
        }
      }
      assertTrue(Math.abs(holds.size() - EVENTS * 0.02) < EVENTS * 0.02 * 0.15, distribution + ": " + holds.size());
      assertTrue(holds.stream().allMatch(h -> h >= 500 && h <= 5_000), holds.toString());
      Collections.sort(holds);
      long median = holds.get(holds.size() / 2);
      // Log-uniform: median near sqrt(500 * 5000) = 1,581 ms; uniform: near 2,750 ms.
      long expected = distribution == DelayOptions.Distribution.UNIFORM ? 2_750 : 1_581;
      assertTrue(Math.abs(median - expected) < 350, distribution + " median " + median);
    }
  }

  @Test
  void verifiesThatAHeldSendReachesTheServerAfterItsSuccessorsByItsHold() {
    Vertx vertx = Vertx.vertx();
    try {
      List<String> order = Collections.synchronizedList(new ArrayList<>());
      Map<String, Long> arrived = Collections.synchronizedMap(new LinkedHashMap<>());
      HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
        String id = EnvelopeFields.scan(body).id();
        order.add(id);
        arrived.put(id, System.currentTimeMillis());
        request.response().setStatusCode(202).end(new JsonObject().put("accepted", 1).encode());
      })).listen(0).await();
      Target target = new Target("127.0.0.1", server.actualPort(), "/events");
      // A cold client's first request can take longer than the hold; warm it up on a lane of its own first.
      LaneSender warmUp = new LaneSender(target, List.of(Send.original("w", "w", 0, Buffer.buffer("{\"id\":\"w\"}"))),
          Pacer.start(0));
      vertx.deployVerticle(warmUp).compose(id -> warmUp.finished()).await();
      order.clear();
      List<Send> sends = inOrder(3);
      List<Send> lane = List.of(sends.get(0).held(400), sends.get(1), sends.get(2));
      LaneSender sender = new LaneSender(target, lane, Pacer.start(0));
      SendStats stats = vertx.deployVerticle(sender).compose(id -> sender.finished()).await();

      assertEquals(List.of("e1", "e2", "e0"), order, "its successors go ahead while it is held");
      assertTrue(arrived.get("e0") - arrived.get("e1") >= 350, arrived.toString());
      assertEquals(3, stats.accepted);
      ArrivalGaps.Gap gap = new ArrivalGaps(Map.of("e0", new PlannedLoad.Event("c", 0),
          "e1", new PlannedLoad.Event("c", 1_000), "e2", new PlannedLoad.Event("c", 2_000)), stats.arrivals).gap("e0");
      assertTrue(gap.low() >= 350 && gap.high() < 2_000, gap.toString());
    } finally {
      vertx.close().await();
    }
  }
}
