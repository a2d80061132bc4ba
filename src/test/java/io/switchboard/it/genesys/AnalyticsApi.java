package io.switchboard.it.genesys;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The async conversation-details jobs API (section 6): {@code POST .../details/jobs} (body with a required
 * {@code interval}, else 400) → {@code {jobId}} (202); {@code GET .../jobs/{jobId}} → AsyncQueryStatus;
 * {@code GET .../jobs/{jobId}/results?cursor=&pageSize=} → {@code {conversations, cursor (absent on the last page),
 * dataAvailabilityDate}}; {@code DELETE .../jobs/{jobId}} → 204; {@code GET .../jobs/availability}.
 *
 * <p>Filters, order and {@code limit} in the query body are accepted and ignored: every conversation with activity
 * in the interval is returned, oldest start first. <b>Not verified</b>, chosen here: POST answers 202; results of a job
 * that is not FULFILLED → 400 {@code bad.request}; an EXPIRED job's results → 404; pageSize defaults to 100 and must be
 * 1..1000; an unknown cursor → 400.
 */
final class AnalyticsApi {

  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;

  private final AnalyticsJobs jobs;
  private final ConversationStore store;
  private final LongSupplier clock;

  AnalyticsApi(AnalyticsJobs jobs, ConversationStore store, LongSupplier clock) {
    this.jobs = Objects.requireNonNull(jobs);
    this.store = Objects.requireNonNull(store);
    this.clock = Objects.requireNonNull(clock);
  }

  void submit(RoutingContext ctx) {
    Interval interval;
    try {
      JsonObject query = ctx.body().asJsonObject();
      interval = Interval.parse(query == null ? null : query.getString("interval"));
    } catch (DecodeException | ClassCastException e) {
      Replies.error(ctx, 400, "bad.request", "The body must be an AsyncConversationQuery JSON object with an interval.");
      return;
    } catch (IllegalArgumentException e) {
      Replies.error(ctx, 400, "bad.request", e.getMessage());
      return;
    }
    List<JsonObject> matching = store.activeIn(interval.from(), interval.to()).stream()
        .map(StoredConversation::analytics).toList();
    String jobId = jobs.submit(client(ctx), matching);
    Replies.json(ctx, 202, new JsonObject().put("jobId", jobId));
  }

  void status(RoutingContext ctx) {
    jobs.status(ctx.pathParam("jobId"), client(ctx)).ifPresentOrElse(s -> Replies.json(ctx, 200, s), () -> notFound(ctx));
  }

  void results(RoutingContext ctx) {
    String jobId = ctx.pathParam("jobId");
    AnalyticsJobs.State state = jobs.state(jobId, client(ctx)).orElse(AnalyticsJobs.State.EXPIRED);
    if (state == AnalyticsJobs.State.EXPIRED) {
      notFound(ctx);
      return;
    }
    if (state != AnalyticsJobs.State.FULFILLED) {
      Replies.error(ctx, 400, "bad.request", "Job " + jobId + " is " + state + "; results exist once it is FULFILLED.");
      return;
    }
    int pageSize;
    try {
      String text = ctx.queryParams().get("pageSize");
      pageSize = text == null ? DEFAULT_PAGE_SIZE : Integer.parseInt(text);
    } catch (NumberFormatException e) {
      pageSize = -1;
    }
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      Replies.error(ctx, 400, "bad.request", "pageSize must be 1.." + MAX_PAGE_SIZE);
      return;
    }
    String cursor = ctx.queryParams().get("cursor");
    AnalyticsJobs.Page page;
    try {
      page = jobs.page(jobId, client(ctx), cursor == null || cursor.isEmpty() ? null : cursor, pageSize);
    } catch (IllegalArgumentException e) {
      Replies.error(ctx, 400, "bad.request", "The cursor is not one this job handed out.");
      return;
    }
    JsonObject body = new JsonObject().put("conversations", new JsonArray(List.copyOf(page.conversations())));
    if (page.cursor() != null) {
      body.put("cursor", page.cursor());
    }
    Replies.json(ctx, 200, body.put("dataAvailabilityDate", Iso.format(page.dataAvailability())));
  }

  void delete(RoutingContext ctx) {
    if (jobs.delete(ctx.pathParam("jobId"), client(ctx))) {
      Replies.empty(ctx, 204);
    } else {
      notFound(ctx);
    }
  }

  /** Everything up to now is available: the emulator has no ingestion lag. */
  void availability(RoutingContext ctx) {
    Replies.json(ctx, 200, new JsonObject().put("dataAvailabilityDate", Iso.format(clock.getAsLong())));
  }

  private static String client(RoutingContext ctx) {
    return ctx.<TokenStore.Token>get(ApiGate.TOKEN).clientId();
  }

  private static void notFound(RoutingContext ctx) {
    Replies.error(ctx, 404, "not.found", "Job " + ctx.pathParam("jobId") + " was not found.");
  }
}
