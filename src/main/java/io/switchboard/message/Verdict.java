package io.switchboard.message;

import java.util.Objects;

/**
 * The dedup stage's answer about one admitted event, sent to its source's verdict address ({@code seq} is the
 * event's {@link Ticket#seq()}): a plain send rather than a reply, so no reply handler and no timer per event.
 */
public record Verdict(long seq, DedupVerdict verdict) {

  public Verdict {
    Objects.requireNonNull(verdict, "verdict");
  }
}
