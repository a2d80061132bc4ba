package io.switchboard.message;

import java.util.Objects;

/**
 * Identifies one admitted event at the source that admitted it, so that whichever stage finishes the
 * event can tell that source (Kafka offsets, polling cursors and HTTP back-pressure depend on it).
 *
 * @param origin event-bus address of the admitting source's settlement consumer
 * @param seq    sequence number unique within that origin
 */
public record Ticket(String origin, long seq) {

  /** A ticket for work that no source waits on (e.g. a DLQ replay issued by an operator). */
  public static final Ticket NONE = new Ticket("", 0);

  public Ticket {
    Objects.requireNonNull(origin, "origin");
  }

  public boolean isTracked() {
    return !origin.isEmpty();
  }
}
