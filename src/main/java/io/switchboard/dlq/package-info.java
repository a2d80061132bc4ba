/**
 * Reading, querying and replay bookkeeping of the dead-letter queue written by the DLQ writer verticle.
 *
 * <p>Everything here does blocking file I/O: call it from a worker ({@code vertx.executeBlocking(...)} or a
 * worker verticle), never from an event loop. {@link io.switchboard.dlq.DeadLetterStore} is not shared: the DLQ
 * writer verticle owns the one instance per directory, calls it one call at a time, and answers everyone else over
 * the event bus.
 *
 * <p>The DLQ files are only ever read. Replay outcomes go to an append-only sidecar journal
 * ({@code replays.jsonl}) in the same directory, so the writer's files stay exactly as written.
 */
package io.switchboard.dlq;
