/**
 * The {@code eventbridge} target type: events put on an Amazon EventBridge event bus with PutEvents, through the
 * AWS SDK for Java v2 async client, up to 10 entries per request.
 *
 * <pre>{@code
 * { "id": "ops-bus", "type": "eventbridge",
 *   "eventBus": "arn:aws:events:eu-west-1:123456789012:event-bus/contact-center",
 *   "source": "switchboard",
 *   "detail": "genesys",
 *   "region": "eu-west-1",
 *   "maxEntryBytes": 262144 }
 * }</pre>
 *
 * <p>{@link io.switchboard.dispatch.eventbridge.EventBridgeTargetOptions} reads and validates those keys;
 * {@link io.switchboard.dispatch.eventbridge.EventBridgeDeliveryChannel} builds the entries, sends them and reports
 * one {@link io.switchboard.dispatch.Outcome} per entry, leaving every retry decision to the dispatcher.
 */
package io.switchboard.dispatch.eventbridge;
