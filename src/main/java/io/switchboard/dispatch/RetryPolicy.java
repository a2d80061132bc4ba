package io.switchboard.dispatch;

import io.switchboard.config.ConfigException;
import io.switchboard.config.ConfigNode;
import io.switchboard.message.DeadLetter.Reason;
import io.vertx.core.json.JsonObject;

import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A target's retry policy, read from its {@code retry} object, and the decision it makes after each attempt.
 *
 * <p>Two limits end retrying, whichever comes first. The event age ({@code maxEventAgeSeconds}, default one
 * hour) is the one that normally ends it: it says how long a target may be down before its events go to
 * the dead letters. EventBridge keeps trying for 24 hours and 185 attempts, but it holds the backlog in its
 * own durable service; Switchboard holds retrying work in memory and in the park store, and a day of
 * backlog for a dead CRM is rarely what anyone wants, since dead letters can be redriven once it is back.
 * Users who want longer raise it (up to 7 days). The attempt limit ({@code maxAttempts}, default 185 as in
 * EventBridge) is a backstop for targets that fail fast with a short {@code Retry-After}; with the default
 * backoff 185 attempts span about an hour and a half, so they do not cut the hour short.
 *
 * <p>Waits: exponential backoff with full jitter ({@link Backoff}; 200 ms doubling to at most 60 s, so a
 * recovered target is noticed within a minute). On 429 and 503 a {@code Retry-After} replaces the backoff,
 * capped at {@code retryAfterCapSeconds} (default 300) so one answer cannot park an event for most of its
 * life; an unparseable one falls back to the backoff. A <em>negative</em> {@code Retry-After} dead-letters
 * the event at once as {@link Reason#DELIVERY_REJECTED}: AWS stops retrying on it, and a target that says
 * "never" is refusing the event, not asking for a pause. A retry that would land after the age limit is
 * not scheduled: the event is dead-lettered now rather than held only to be given up later.
 *
 * <p>Status classes: see {@link StatusClassifier}. Transport failures (refused, reset, timeout) always retry.
 * Instances are immutable and may be shared across event loops.
 */
public final class RetryPolicy {

  public static final int DEFAULT_MAX_ATTEMPTS = 185;
  public static final long DEFAULT_MAX_EVENT_AGE_SECONDS = 3600;
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 200;
  public static final long DEFAULT_MAX_BACKOFF_MS = 60_000;
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final long DEFAULT_RETRY_AFTER_CAP_SECONDS = 300;

  private static final Set<String> KEYS = Set.of("maxAttempts", "maxEventAgeSeconds", "initialBackoffMs",
      "maxBackoffMs", "multiplier", "retryAfterCapSeconds", "statusClasses");
  private static final long WEEK_SECONDS = 7L * 24 * 3600;
  private static final double MAX_MULTIPLIER = 10.0;
  /**
   * One policy serves every event-loop instance of a target's dispatcher, so its default generator must be
   * thread-safe without contention; each call goes to the calling thread's own generator.
   */
  private static final RandomGenerator PER_THREAD = () -> ThreadLocalRandom.current().nextLong();

  private final int maxAttempts;
  private final long maxEventAgeSeconds;
  private final long initialBackoffMs;
  private final long maxBackoffMs;
  private final double multiplier;
  private final long retryAfterCapSeconds;
  private final StatusClassifier statusClasses;
  private final Backoff backoff;

  private RetryPolicy(int maxAttempts, long maxEventAgeSeconds, long initialBackoffMs, long maxBackoffMs,
                      double multiplier, long retryAfterCapSeconds, StatusClassifier statusClasses,
                      RandomGenerator random) {
    this.maxAttempts = maxAttempts;
    this.maxEventAgeSeconds = maxEventAgeSeconds;
    this.initialBackoffMs = initialBackoffMs;
    this.maxBackoffMs = maxBackoffMs;
    this.multiplier = multiplier;
    this.retryAfterCapSeconds = retryAfterCapSeconds;
    this.statusClasses = Objects.requireNonNull(statusClasses, "statusClasses");
    this.backoff = new Backoff(initialBackoffMs, maxBackoffMs, multiplier, random);
  }

  /** The policy of a target without a {@code retry} object. */
  public static RetryPolicy defaults() {
    return from(new ConfigNode(new JsonObject(), "retry"));
  }

  /** Reads a {@code retry} object; every key is optional, and errors name the JSON path at fault. */
  public static RetryPolicy from(ConfigNode node) {
    return from(node, PER_THREAD);
  }

  /** As {@link #from(ConfigNode)}, with the jitter drawn from {@code random} (tests pass a seeded one). */
  public static RetryPolicy from(ConfigNode node, RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    node.allowOnly(KEYS);
    long initial = node.longValue("initialBackoffMs", DEFAULT_INITIAL_BACKOFF_MS, 1, 3_600_000);
    // A lone large initialBackoffMs lifts the default cap with it rather than failing on a key the user never set.
    long max = node.longValue("maxBackoffMs", Math.max(DEFAULT_MAX_BACKOFF_MS, initial), 1, 24 * 3_600_000L);
    if (max < initial) {
      throw new ConfigException(node.path("maxBackoffMs"),
          "must be at least initialBackoffMs (" + initial + "), got " + max);
    }
    return new RetryPolicy(
        node.intValue("maxAttempts", DEFAULT_MAX_ATTEMPTS, 1, 10_000),
        node.longValue("maxEventAgeSeconds", DEFAULT_MAX_EVENT_AGE_SECONDS, 1, WEEK_SECONDS),
        initial,
        max,
        multiplier(node),
        node.longValue("retryAfterCapSeconds", DEFAULT_RETRY_AFTER_CAP_SECONDS, 1, 24 * 3600),
        StatusClassifier.from(node.object("statusClasses")),
        random);
  }

  /** ConfigNode has no decimal getter; the multiplier is the only fractional setting, so it is read here. */
  private static double multiplier(ConfigNode node) {
    Object value = node.json().getValue("multiplier");
    if (value == null) {
      return DEFAULT_MULTIPLIER;
    }
    double m = value instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(m >= 1.0 && m <= MAX_MULTIPLIER)) {
      String got = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
      throw new ConfigException(node.path("multiplier"), "must be a number between 1.0 and " + MAX_MULTIPLIER
          + ", got " + got);
    }
    return m;
  }

  /** What to do after {@code attempt}. Never throws for any outcome a target can produce. */
  public Decision decide(Attempt attempt) {
    Objects.requireNonNull(attempt, "attempt");
    Outcome outcome = attempt.outcome();
    OptionalLong retryAfter = OptionalLong.empty();
    String waitNote = "";
    if (outcome instanceof Outcome.Status status) {
      StatusClass cls = statusClasses.classify(status.code());
      if (cls == StatusClass.SUCCESS) {
        return new Decision.Success();
      }
      if (cls == StatusClass.DEADLETTER) {
        String pattern = statusClasses.patternFor(status.code());
        String by = pattern == null ? " is not an HTTP status" : " is classified deadletter by '" + pattern + "'";
        return new Decision.DeadLetter(Reason.DELIVERY_REJECTED,
            "target rejected the event: " + status.describe() + by);
      }
      if (honoursRetryAfter(status.code()) && status.retryAfter() != null && !status.retryAfter().isBlank()) {
        retryAfter = RetryAfter.parse(status.retryAfter(), attempt.nowMillis());
        if (retryAfter.isPresent() && retryAfter.getAsLong() < 0) {
          return new Decision.DeadLetter(Reason.DELIVERY_REJECTED, "target asked not to retry: status "
              + status.code() + " with negative Retry-After '" + status.retryAfter().trim() + "'");
        }
        if (retryAfter.isEmpty()) {
          waitNote = ", unparseable Retry-After '" + status.retryAfter().trim() + "' ignored";
        }
      }
    }
    String last = outcome.describe();
    if (attempt.number() >= maxAttempts) {
      return exhausted(attempt, "maxAttempts " + maxAttempts + " reached", last);
    }
    long maxAgeMillis = maxEventAgeSeconds * 1000;
    if (attempt.ageMillis() > maxAgeMillis) {
      return exhausted(attempt, "event older than maxEventAgeSeconds " + maxEventAgeSeconds, last);
    }
    long delay;
    if (retryAfter.isPresent()) {
      long capMillis = retryAfterCapSeconds * 1000;
      delay = Math.min(retryAfter.getAsLong(), capMillis);
      waitNote = ", Retry-After " + retryAfter.getAsLong() + " ms" + (delay < retryAfter.getAsLong()
          ? " capped at retryAfterCapSeconds " + retryAfterCapSeconds : "");
    } else {
      delay = backoff.delayMillis(attempt.number());
      waitNote = waitNote + ", backoff " + delay + " ms of up to " + backoff.ceilingMillis(attempt.number());
    }
    if (attempt.ageMillis() + delay > maxAgeMillis) {
      return exhausted(attempt, "next retry in " + delay + " ms would exceed maxEventAgeSeconds "
          + maxEventAgeSeconds, last);
    }
    return new Decision.RetryAt(attempt.nowMillis() + delay,
        "attempt " + attempt.number() + " failed with " + last + waitNote);
  }

  /** Only these two statuses define Retry-After as "come back later" for this purpose (RFC 9110 §10.2.3). */
  private static boolean honoursRetryAfter(int status) {
    return status == 429 || status == 503;
  }

  private static Decision exhausted(Attempt attempt, String limit, String last) {
    return new Decision.DeadLetter(Reason.RETRIES_EXHAUSTED, "gave up after " + attempt.number()
        + (attempt.number() == 1 ? " attempt" : " attempts") + " over " + attempt.ageMillis() / 1000 + " s ("
        + limit + "): last " + last);
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public long maxEventAgeMillis() {
    return maxEventAgeSeconds * 1000;
  }

  public long retryAfterCapMillis() {
    return retryAfterCapSeconds * 1000;
  }

  public Backoff backoff() {
    return backoff;
  }

  public StatusClassifier statusClasses() {
    return statusClasses;
  }

  /** The effective settings, defaults filled in, in the shape {@link #from} reads: for docs and diagnostics. */
  public JsonObject toJson() {
    return new JsonObject()
        .put("maxAttempts", maxAttempts)
        .put("maxEventAgeSeconds", maxEventAgeSeconds)
        .put("initialBackoffMs", initialBackoffMs)
        .put("maxBackoffMs", maxBackoffMs)
        .put("multiplier", multiplier)
        .put("retryAfterCapSeconds", retryAfterCapSeconds)
        .put("statusClasses", statusClasses.toJson());
  }

  @Override
  public String toString() {
    return "RetryPolicy" + toJson().encode();
  }
}
