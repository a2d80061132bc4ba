package io.switchboard.message;

import java.util.List;
import java.util.Objects;

/**
 * The settlements one verticle had for one source during one event-loop turn, sent together: under load a
 * dispatcher settles several events per turn, and one message instead of one per event spares the bus and the
 * source's event loop a hand-off each.
 */
public record SettlementBatch(List<Settlement> settlements) {

  public SettlementBatch {
    settlements = List.copyOf(Objects.requireNonNull(settlements, "settlements"));
  }
}
