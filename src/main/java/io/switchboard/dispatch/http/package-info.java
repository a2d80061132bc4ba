/**
 * The {@code http} target type: one request per event to a webhook, shaped like an EventBridge API
 * destination (5 s answer deadline, JSON body, an idempotency header) so that an endpoint written for
 * EventBridge works unchanged.
 *
 * <pre>{@code
 * { "id": "crm-webhook", "type": "http",
 *   "url": "https://crm.example.com/genesys/events",
 *   "method": "POST",
 *   "headers": { "Authorization": { "env": "CRM_TOKEN" }, "X-Tenant": "acme" },
 *   "idempotencyHeader": "X-Event-Id",
 *   "timeoutMs": 5000, "maxConnections": 16,
 *   "contentType": "application/json; charset=utf-8",
 *   "tlsTrustAll": false }
 * }</pre>
 *
 * <p>{@link io.switchboard.dispatch.http.HttpTargetOptions} reads and validates those keys;
 * {@link io.switchboard.dispatch.http.HttpDeliveryChannel} sends and reports each answer as an
 * {@link io.switchboard.dispatch.Outcome}, leaving every retry decision to the dispatcher.
 */
package io.switchboard.dispatch.http;
