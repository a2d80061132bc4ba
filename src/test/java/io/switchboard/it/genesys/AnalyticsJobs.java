package io.switchboard.it.genesys;

import io.vertx.core.json.JsonObject;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Async conversation-details jobs: each job holds the analytics records that matched its interval when it was
 * submitted, and moves QUEUED → PENDING → FULFILLED by the clock ({@code queuedFor}, {@code pendingFor}); it is
 * EXPIRED {@code expiry} after completion. {@link #failNext} makes the next submitted job end FAILED instead.
 * Results are paged with opaque cursors; the last page has none.
 *
 * <p><b>Not verified</b>, chosen here: results are a snapshot taken at submission; a job is visible only to the
 * OAuth client that submitted it; a deleted job is gone (404) rather than CANCELLED.
 * Confined to the emulator's context (no locks); the clock is passed in.
 */
final class AnalyticsJobs {

  enum State { QUEUED, PENDING, FULFILLED, FAILED, EXPIRED }

  /** One page of results and the cursor of the next, or null on the last page. */
  record Page(List<JsonObject> conversations, String cursor, long dataAvailability) {
  }

  private static final class Job {
    final String id = UUID.randomUUID().toString();
    final String clientId;
    final long submittedAt;
    final List<JsonObject> conversations;
    final String failure;
    final Map<String, Integer> cursors = new HashMap<>();

    Job(String clientId, long submittedAt, List<JsonObject> conversations, String failure) {
      this.clientId = clientId;
      this.submittedAt = submittedAt;
      this.conversations = conversations;
      this.failure = failure;
    }
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private final long queuedFor;
  private final long pendingFor;
  private final long expiry;
  private final LongSupplier clock;
  private String nextFailure;

  AnalyticsJobs(long queuedFor, long pendingFor, long expiry, LongSupplier clock) {
    this.queuedFor = queuedFor;
    this.pendingFor = pendingFor;
    this.expiry = expiry;
    this.clock = Objects.requireNonNull(clock);
  }

  String submit(String clientId, List<JsonObject> conversations) {
    Job job = new Job(clientId, clock.getAsLong(), List.copyOf(conversations), nextFailure);
    nextFailure = null;
    jobs.put(job.id, job);
    return job.id;
  }

  void failNext(String errorMessage) {
    this.nextFailure = Objects.requireNonNull(errorMessage);
  }

  Optional<State> state(String jobId, String clientId) {
    return job(jobId, clientId).map(this::state);
  }

  /** {@code AsyncQueryStatus}: state, submissionDate, and completion/expiration dates or errorMessage once done. */
  Optional<JsonObject> status(String jobId, String clientId) {
    return job(jobId, clientId).map(job -> {
      State state = state(job);
      JsonObject status = new JsonObject().put("state", state.name()).put("submissionDate", Iso.format(job.submittedAt));
      if (state == State.FAILED) {
        status.put("errorMessage", job.failure).put("completionDate", Iso.format(completedAt(job)));
      } else if (state == State.FULFILLED || state == State.EXPIRED) {
        status.put("completionDate", Iso.format(completedAt(job)))
            .put("expirationDate", Iso.format(completedAt(job) + expiry));
      }
      return status;
    });
  }

  /**
   * A page of a FULFILLED job, starting at {@code cursor} (null for the first page).
   *
   * @throws IllegalArgumentException for a cursor this job did not hand out
   */
  Page page(String jobId, String clientId, String cursor, int pageSize) {
    Job job = job(jobId, clientId).orElseThrow();
    Integer offset = cursor == null ? Integer.valueOf(0) : job.cursors.get(cursor);
    if (offset == null) {
      throw new IllegalArgumentException("unknown cursor");
    }
    int end = Math.min(job.conversations.size(), offset + pageSize);
    String next = null;
    if (end < job.conversations.size()) {
      next = newCursor();
      job.cursors.put(next, end);
    }
    return new Page(job.conversations.subList(offset, end), next, job.submittedAt);
  }

  boolean delete(String jobId, String clientId) {
    return job(jobId, clientId).map(job -> jobs.remove(job.id) != null).orElse(false);
  }

  private Optional<Job> job(String jobId, String clientId) {
    return Optional.ofNullable(jobs.get(jobId)).filter(job -> job.clientId.equals(clientId));
  }

  private State state(Job job) {
    long now = clock.getAsLong();
    if (now < job.submittedAt + queuedFor) {
      return State.QUEUED;
    }
    if (now < completedAt(job)) {
      return State.PENDING;
    }
    if (job.failure != null) {
      return State.FAILED;
    }
    return now < completedAt(job) + expiry ? State.FULFILLED : State.EXPIRED;
  }

  private long completedAt(Job job) {
    return job.submittedAt + queuedFor + pendingFor;
  }

  private static String newCursor() {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
