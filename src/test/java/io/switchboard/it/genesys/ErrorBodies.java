package io.switchboard.it.genesys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The two error shapes Genesys answers with: the API's ErrorBody and the login service's OAuth error. */
final class ErrorBodies {

  private ErrorBodies() {
  }

  /**
   * An ErrorBody as in the 429 sample: message, code, status, messageParams, contextId, details, errors.
   * {@code contextId} carries the request's correlation id (also sent as {@code ININ-Correlation-Id}).
   */
  static JsonObject error(int status, String code, String message, String correlationId) {
    return new JsonObject().put("message", message).put("code", code).put("status", status)
        .put("messageParams", new JsonObject()).put("contextId", correlationId).put("details", new JsonArray())
        .put("errors", new JsonArray());
  }

  /** {@code {"error","description","error_description"}} (SDK-go AuthErrorResponse). */
  static JsonObject oauth(String error, String description) {
    return new JsonObject().put("error", error).put("description", description).put("error_description", description);
  }
}
