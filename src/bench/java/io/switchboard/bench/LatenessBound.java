package io.switchboard.bench;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The lateness bound the server reports on {@code GET /ready}, as {@code "reorder": {"latenessMs": {"http": 23}}}
 * (per source, the largest over its reorder instances), taken as the largest value seen over the polls of a run.
 * A server that does not report it leaves the bound unknown, and then no order violation counts as beyond it.
 * Polled from one thread, read from another: the methods are synchronized.
 */
final class LatenessBound {

  /** The source name of {@code POST /events}, the only source the generator feeds. */
  static final String SOURCE = "http";

  private long polls;
  private long reports;
  private long maxMillis = -1;

  /** Reads the bound out of one {@code /ready} body (200 or 503: both carry it); {@code -1} when absent. */
  static long parse(JsonObject ready) {
    Objects.requireNonNull(ready, "ready");
    JsonObject reorder = ready.getValue("reorder") instanceof JsonObject r ? r : null;
    Object lateness = reorder == null ? null : reorder.getValue("latenessMs");
    if (lateness instanceof JsonObject perSource) {
      lateness = perSource.getValue(SOURCE);
    }
    return lateness instanceof Number n && n.doubleValue() >= 0 ? (long) Math.ceil(n.doubleValue()) : -1;
  }

  /** Records one poll: the body of {@code /ready}, or {@code null} when it could not be read. */
  synchronized void polled(JsonObject ready) {
    polls++;
    long bound = ready == null ? -1 : parse(ready);
    if (bound >= 0) {
      reports++;
      maxMillis = Math.max(maxMillis, bound);
    }
  }

  /** The largest bound reported, in ms; {@code null} when none was. */
  synchronized Long millis() {
    return maxMillis < 0 ? null : maxMillis;
  }

  /** {@code {"source","latenessMs","polls","reports"}}: the bound used ({@code null}: unknown) and how it was read. */
  synchronized JsonObject toJson() {
    return new JsonObject().put("source", SOURCE).put("latenessMs", millis()).put("polls", polls)
        .put("reports", reports);
  }
}
