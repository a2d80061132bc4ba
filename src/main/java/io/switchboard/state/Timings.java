package io.switchboard.state;

import io.vertx.core.json.JsonObject;

/**
 * Durations of a conversation in ms, derived from event times.
 *
 * @param queueWaitMs sum over ACD sessions of acd.start → acd.end
 * @param talkMs      sum over agent sessions of user.start → user.end
 * @param acwMs       sum of after-call work: {@code wrapupDurationMs} when the acw event has it, else
 *                    user.end → acw
 * @param totalMs     first event → last customer.end, or -1 while the customer has not ended
 */
public record Timings(long queueWaitMs, long talkMs, long acwMs, long totalMs) {

  /** Talk plus after-call work. */
  public long handleMs() {
    return talkMs + acwMs;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("queueWaitMs", queueWaitMs)
        .put("talkMs", talkMs)
        .put("acwMs", acwMs)
        .put("handleMs", handleMs())
        .put("totalMs", totalMs < 0 ? null : totalMs);
  }
}
