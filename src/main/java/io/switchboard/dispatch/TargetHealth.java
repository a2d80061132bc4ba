package io.switchboard.dispatch;

import io.vertx.core.json.JsonObject;

/**
 * Whether a target is currently failing, and since when: every failed attempt starts (or continues) a
 * failing period, any success ends it. Reported in {@code /ready}, so a dead target is visible rather
 * than hidden behind the targets that still work. Single-threaded.
 */
public final class TargetHealth {

  private final long failingAfterMillis;
  private long failingSince = -1;
  private long lastSuccessAt = -1;
  private String lastError;

  public TargetHealth(long failingAfterMillis) {
    this.failingAfterMillis = failingAfterMillis;
  }

  public void success(long now) {
    failingSince = -1;
    lastSuccessAt = now;
  }

  public void failure(long now, String error) {
    if (failingSince < 0) {
      failingSince = now;
    }
    lastError = error;
  }

  /** {@code true} while the target is in a failing period (its last attempt failed). */
  public boolean inFailure() {
    return failingSince >= 0;
  }

  /** {@code true} once the target has been failing for longer than its configured tolerance. */
  public boolean isFailing(long now) {
    return failingSince >= 0 && now - failingSince >= failingAfterMillis;
  }

  public JsonObject toJson(long now) {
    JsonObject json = new JsonObject().put("status", isFailing(now) ? "FAILING" : failingSince >= 0 ? "RETRYING" : "UP");
    if (failingSince >= 0) {
      json.put("failingForMs", now - failingSince).put("lastError", lastError);
    }
    if (lastSuccessAt >= 0) {
      json.put("lastSuccessAgoMs", now - lastSuccessAt);
    }
    return json;
  }
}
