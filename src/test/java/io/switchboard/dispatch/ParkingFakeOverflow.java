package io.switchboard.dispatch;

import io.switchboard.dispatch.overflow.Overflow;
import io.switchboard.dispatch.queue.KeyedDeliveryQueue;
import io.vertx.core.Future;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/** An overflow that "parks" at once, as a durable one does, and records what it is told is finished. */
final class ParkingFakeOverflow implements Overflow {

  private final ArrayDeque<Delivery> parked = new ArrayDeque<>();
  private long nextOffset;
  final List<Long> finishedOffsets = new ArrayList<>();

  @Override
  public boolean durable() {
    return true;
  }

  @Override
  public boolean isEmpty() {
    return parked.isEmpty();
  }

  @Override
  public int size() {
    return parked.size();
  }

  @Override
  public void add(Delivery delivery, BiConsumer<Delivery, Boolean> onStored) {
    parked.add(delivery.parkedAt(nextOffset++));
    onStored.accept(delivery, true);
  }

  @Override
  public void refill(KeyedDeliveryQueue<Delivery> queue, long now) {
    while (!parked.isEmpty() && queue.offer(parked.peek().orderingKey(), parked.peek(), now)) {
      parked.poll();
    }
  }

  @Override
  public void finished(Delivery delivery) {
    if (delivery.redriven()) {
      finishedOffsets.add(delivery.parkOffset());
    }
  }

  @Override
  public Future<Void> close(List<Delivery> stranded) {
    return Future.succeededFuture();
  }
}
