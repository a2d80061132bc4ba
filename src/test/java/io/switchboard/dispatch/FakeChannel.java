package io.switchboard.dispatch;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A channel that records what it is given and answers only when a test says so. */
final class FakeChannel implements DeliveryChannel {

  private record Call(List<Delivery> batch, Promise<List<Outcome>> answer) {
  }

  private final int maxBatch;
  private final List<Delivery> sent = new ArrayList<>();
  private final List<Call> unanswered = new ArrayList<>();

  FakeChannel(int maxBatch) {
    this.maxBatch = maxBatch;
  }

  @Override
  public int maxBatch() {
    return maxBatch;
  }

  @Override
  public Future<Void> start() {
    return Future.succeededFuture();
  }

  @Override
  public Future<List<Outcome>> deliver(List<Delivery> batch) {
    sent.addAll(batch);
    Promise<List<Outcome>> answer = Promise.promise();
    unanswered.add(new Call(List.copyOf(batch), answer));
    return answer.future();
  }

  @Override
  public Future<Void> stop() {
    return Future.succeededFuture();
  }

  /** Every delivery handed over so far, as "eventId#attempt", in order. */
  List<String> sent() {
    return sent.stream().map(d -> d.event().event().eventId() + "#" + d.attempt()).toList();
  }

  /** Answers the outstanding one-delivery batch of {@code eventId}. */
  void answer(String eventId, Outcome outcome) {
    for (Iterator<Call> it = unanswered.iterator(); it.hasNext(); ) {
      Call call = it.next();
      if (call.batch().get(0).event().event().eventId().equals(eventId)) {
        it.remove();
        call.answer().complete(List.of(outcome));
        return;
      }
    }
    throw new AssertionError("no outstanding delivery of " + eventId + "; sent " + sent());
  }

  int outstanding() {
    return unanswered.size();
  }
}
