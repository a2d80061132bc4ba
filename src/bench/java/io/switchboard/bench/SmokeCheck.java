package io.switchboard.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * The CI smoke verdict on a delivery result: correctness only, never speed (a shared CI runner's speed says
 * nothing). It passes when every event reached every target exactly once and no conversation went backwards within
 * the server's lateness bound ({@link TargetVerdict}): only an event that reached the server more than the bound
 * after a later event of its conversation may be delivered after it. With no bound reported, none may.
 */
final class SmokeCheck {

  private SmokeCheck() {
  }

  /** What went wrong, one sentence each; empty when the run passed. */
  static List<String> failures(JsonObject result) {
    List<String> failures = new ArrayList<>();
    if (!result.getBoolean("complete", false)) {
      failures.add("not every event reached every target before the wait ended");
    }
    // Either shows up as lost below as well; said apart, they point at the sending side rather than delivery.
    positive(failures, result.getLong("failed", 0L), "sends were given up after every retry");
    positive(failures, result.getLong("deadLettered", 0L), "events were dead-lettered by the server");
    JsonObject targets = result.getJsonObject("targets", new JsonObject());
    if (targets.isEmpty()) {
      failures.add("no target was judged");
    }
    for (String target : targets.fieldNames()) {
      JsonObject verdict = targets.getJsonObject(target);
      positive(failures, verdict.getLong("lost", 0L), "events never reached target " + target);
      positive(failures, verdict.getLong("duplicated", 0L), "events reached target " + target + " twice");
      positive(failures, verdict.getLong("unexpected", 0L), "unknown events reached target " + target);
      long within = verdict.getLong("violationsWithinBound", verdict.getLong("orderViolations", 0L));
      long near = verdict.getLong("violationsNearBound", 0L);
      positive(failures, within, "events reached target " + target + " behind a later event of their conversation"
          + bound(result) + (near > 0 ? "; " + near + " of them within a request's round trip of the bound, where"
          + " the generator's clock cannot tell" : ""));
    }
    return failures;
  }

  private static String bound(JsonObject result) {
    Object millis = result.getJsonObject("latenessBound", new JsonObject()).getValue("latenessMs");
    return millis == null ? " (the server reported no lateness bound, so none may)"
        : ", though they reached the server within the lateness bound (" + millis + " ms) after it";
  }

  /** {@code {"passed","failures"}} for the result line. */
  static JsonObject verdict(List<String> failures) {
    return new JsonObject().put("passed", failures.isEmpty()).put("failures", new JsonArray(failures));
  }

  private static void positive(List<String> failures, long count, String what) {
    if (count > 0) {
      failures.add(count + " " + what);
    }
  }
}
