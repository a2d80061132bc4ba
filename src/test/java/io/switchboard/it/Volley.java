package io.switchboard.it;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Runs steps {@code from .. to-1}, each an asynchronous exchange, at most {@code lanes} at a time: several senders
 * that each take the next number when their previous exchange ends. Call it on a Vert.x context; the steps and their
 * completions then share that context's thread, so whatever they record needs no locks.
 */
final class Volley {

  private final int to;
  private final IntFunction<Future<?>> step;
  private int next;

  private Volley(int from, int to, IntFunction<Future<?>> step) {
    this.next = from;
    this.to = to;
    this.step = step;
  }

  static Future<Void> run(int from, int to, int lanes, IntFunction<Future<?>> step) {
    Volley volley = new Volley(from, to, step);
    List<Future<Void>> senders = new ArrayList<>(lanes);
    for (int i = 0; i < lanes; i++) {
      senders.add(volley.sender());
    }
    return Future.all(senders).mapEmpty();
  }

  private Future<Void> sender() {
    if (next >= to) {
      return Future.succeededFuture();
    }
    return step.apply(next++).transform(done -> sender());
  }
}
