/**
 * Durable parking for a target's overflow: {@link io.switchboard.park.ParkLog}, an append-only FIFO of byte
 * records in segment files with a committed cursor, one directory per target. Plain Java with blocking
 * {@code java.nio} I/O and no Vert.x types: a dispatcher drives its log from one worker context through ordered
 * {@code executeBlocking}, never from an event loop. Encoding events into records is the caller's business.
 */
package io.switchboard.park;
