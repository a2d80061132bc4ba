/**
 * The pure scheduling core of a target dispatcher: which delivery may be attempted next, so that one
 * conversation's events reach a target in order even across retries while other conversations keep flowing.
 *
 * <p>A dispatcher verticle owns one {@link io.switchboard.dispatch.queue.KeyedDeliveryQueue} (and optionally
 * one {@link io.switchboard.dispatch.queue.TokenBucket}) on its event loop and runs one "pump" after every
 * offer, every settlement and every timer: lease while {@code hasReady(now)} and the bucket grants a token,
 * start each delivery, then arm a single timer for the earlier of {@code nextWakeupMillis()} and the bucket's
 * wait. Every lease is settled exactly once with {@code succeeded}, {@code failedPermanently} or
 * {@code retryAt}; a settlement that arrives late (after a timeout was already handled, or after
 * {@code drainAll}) is refused with {@code false} and must be ignored.
 *
 * <p>Nothing here reads a clock, schedules or blocks; time is always passed in, which is what lets the tests
 * replay thousands of random interleavings deterministically.
 */
package io.switchboard.dispatch.queue;
