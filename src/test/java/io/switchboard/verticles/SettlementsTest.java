package io.switchboard.verticles;

import io.switchboard.codecs.Codecs;
import io.switchboard.message.Settlement;
import io.switchboard.message.SettlementBatch;
import io.switchboard.message.Ticket;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reports of one turn reach each source as one batch, in the order they were made; later turns send their own. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 10, timeUnit = TimeUnit.SECONDS)
class SettlementsTest {

  @Test
  void verifiesThatOneTurnsReportsArriveAsOneBatchPerSourceInOrder(Vertx vertx, VertxTestContext ctx) {
    Codecs.registerAll(vertx.eventBus());
    List<SettlementBatch> a = new CopyOnWriteArrayList<>();
    List<SettlementBatch> b = new CopyOnWriteArrayList<>();
    vertx.eventBus().<SettlementBatch>localConsumer("settle.a", msg -> a.add(msg.body()));
    vertx.eventBus().<SettlementBatch>localConsumer("settle.b", msg -> b.add(msg.body()));
    vertx.runOnContext(v -> {
      Settlements.report(vertx, new Ticket("settle.a", 1), 2, Settlement.Outcome.DELIVERED);
      Settlements.report(vertx, new Ticket("settle.b", 7), 1, Settlement.Outcome.FILTERED);
      Settlements.report(vertx, Ticket.NONE, 1, Settlement.Outcome.DELIVERED);
      Settlements.report(vertx, new Ticket("settle.a", 2), 2, Settlement.Outcome.PARKED);
      // A later turn: its report is a batch of its own.
      vertx.setTimer(50, id -> Settlements.report(vertx, new Ticket("settle.a", 3), 1,
          Settlement.Outcome.DEAD_LETTERED));
    });
    vertx.setTimer(400, id -> ctx.verify(() -> {
      assertEquals(List.of(
          new SettlementBatch(List.of(new Settlement(1, 2, Settlement.Outcome.DELIVERED),
              new Settlement(2, 2, Settlement.Outcome.PARKED))),
          new SettlementBatch(List.of(new Settlement(3, 1, Settlement.Outcome.DEAD_LETTERED)))), a);
      assertEquals(List.of(new SettlementBatch(List.of(new Settlement(7, 1, Settlement.Outcome.FILTERED)))), b,
          "an untracked ticket sends nothing");
      ctx.completeNow();
    }));
  }
}
