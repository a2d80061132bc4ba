/**
 * Ingest normalisation: splitting batch bodies, recognising and validating Genesys messages, and turning
 * them into {@link io.switchboard.message.PipelineEvent}s with a content fingerprint. Plain classes with no
 * verticles; the ingest verticles wire them to HTTP, WebSocket and the event bus.
 */
package io.switchboard.ingest;
