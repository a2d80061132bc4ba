package io.switchboard.dispatch.overflow;

import io.switchboard.dispatch.Delivery;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.function.BiConsumer;

/**
 * The overflow of a target whose parking is disabled: events wait in memory, unsettled, so the sources'
 * in-flight bounds fill up and ingest pushes back (429 with Retry-After) instead of anything being dropped.
 */
public final class MemoryOverflow implements Overflow {

  private final ArrayDeque<Delivery> waiting = new ArrayDeque<>();

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public boolean isEmpty() {
    return waiting.isEmpty();
  }

  @Override
  public int size() {
    return waiting.size();
  }

  @Override
  public void add(Delivery delivery, BiConsumer<Delivery, Boolean> onStored) {
    waiting.add(delivery);
    onStored.accept(delivery, false);
  }

  @Override
  public void refill(KeyedDeliveryQueue<Delivery> queue, long now) {
    while (!waiting.isEmpty() && queue.offer(waiting.peek().orderingKey(), waiting.peek(), now)) {
      waiting.poll();
    }
  }

  @Override
  public void finished(Delivery delivery) {
    // Nothing to commit: memory is released with the delivery.
  }

  @Override
  public Future<Void> close(java.util.List<Delivery> stranded) {
    if (!stranded.isEmpty() || !waiting.isEmpty()) {
      org.slf4j.LoggerFactory.getLogger(MemoryOverflow.class).warn(
          "target stops with [{}] undelivered events in memory and parking off: they are lost",
          stranded.size() + waiting.size());
    }
    return Future.succeededFuture();
  }
}
