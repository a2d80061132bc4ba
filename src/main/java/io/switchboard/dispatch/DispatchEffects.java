package io.switchboard.dispatch;

import io.switchboard.message.DeadLetter;
import io.switchboard.message.ProcessedEvent;
import io.switchboard.message.Settlement;
import io.switchboard.message.Ticket;
import io.vertx.core.Future;

/**
 * What a {@link TargetDispatcher} asks of the world around it; the dispatcher verticle answers with the event bus
 * and a Vert.x timer. Every call comes from the dispatcher's own thread.
 */
public interface DispatchEffects {

  /** Tells the event's admitting source that this target's part (one of {@code parts}) of its journey ended. */
  void settle(Ticket ticket, int parts, Settlement.Outcome outcome);

  /**
   * How many parts settle an event that does not say ({@link ProcessedEvent#parts()} 0): one per enabled target,
   * each reporting its own.
   */
  int settlementParts();

  /**
   * Hands a dead letter to the DLQ, whose writer settles the letter's parts once it is durable; the future says
   * whether the writer took it. A letter that settles nothing (a redriven delivery's), which the writer refuses
   * rather than keeps while it cannot write, is offered again until the writer takes it: its future completes then.
   */
  Future<Void> deadLetter(DeadLetter letter);

  /**
   * Asks for {@link TargetDispatcher#wakeUp} at {@code atMillis}, replacing any earlier request;
   * {@link Long#MAX_VALUE} cancels it.
   */
  void wakeAt(long atMillis);
}
