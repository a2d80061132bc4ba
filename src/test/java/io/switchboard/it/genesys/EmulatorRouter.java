package io.switchboard.it.genesys;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The emulator's routes on its one port: {@code /oauth/token} (the login host's path), {@code /api/v2/...} behind the
 * {@link ApiGate}, and the {@code /_emulator/...} control endpoints. (The WebSocket path {@code /channels/<id>} is
 * served by the server's WebSocket handler, not here.) Request bodies are limited to 512,000 bytes, Genesys'
 * {@code request.bytes.max}.
 */
final class EmulatorRouter {

  static final String DETAILS_JOBS = "/api/v2/analytics/conversations/details/jobs";
  static final String CHANNEL = "/api/v2/notifications/channels/:channelId";

  private EmulatorRouter() {
  }

  static Router create(Vertx vertx, EmulatorCore core) {
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create().setBodyLimit(512_000));
    router.post(OAuthEndpoint.PATH).handler(new OAuthEndpoint(vertx, core.tokens, core.faults, core.requests, core.clock));
    router.route("/api/v2/*").handler(new ApiGate(vertx, core.tokens, core.rates, core.faults, core.requests, core.clock));

    NotificationsApi notifications = new NotificationsApi(core.channels, core.hub, core.options);
    router.post("/api/v2/notifications/channels").handler(notifications::create);
    router.get("/api/v2/notifications/channels").handler(notifications::list);
    router.head(CHANNEL).handler(notifications::head);
    router.get(CHANNEL + "/subscriptions").handler(notifications::subscriptions);
    router.put(CHANNEL + "/subscriptions").handler(notifications::replace);
    router.post(CHANNEL + "/subscriptions").handler(notifications::append);
    router.delete(CHANNEL + "/subscriptions").handler(notifications::unsubscribeAll);

    AnalyticsApi analytics = new AnalyticsApi(core.jobs, core.store, core.clock);
    router.post(DETAILS_JOBS).handler(analytics::submit);
    router.get(DETAILS_JOBS + "/availability").handler(analytics::availability);
    router.get(DETAILS_JOBS + "/:jobId").handler(analytics::status);
    router.get(DETAILS_JOBS + "/:jobId/results").handler(analytics::results);
    router.delete(DETAILS_JOBS + "/:jobId").handler(analytics::delete);

    router.get("/api/v2/conversations/:conversationId").handler(new ConversationsApi(core.store)::get);
    router.route("/api/v2/*").handler(ctx -> Replies.error(ctx, 404, "not.found",
        "No resource at " + ctx.request().method() + " " + ctx.request().path() + " in this emulator."));

    ControlApi.mount(router, core);
    router.route().failureHandler(ctx -> {
      int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
      Replies.error(ctx, status, status == 413 ? "request.entity.too.large" : "internal.server.error",
          ctx.failure() == null ? "Request failed." : String.valueOf(ctx.failure().getMessage()));
    });
    return router;
  }
}
