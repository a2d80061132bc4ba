package io.switchboard.bench.jmh;

import io.switchboard.message.PipelineEvent;

/**
 * One normalised event and when it reaches the pipeline.
 *
 * @param at arrival time in ms, on the generator's event-time clock (publication lags eventTime by 150-700 ms)
 */
public record Arrival(PipelineEvent event, long at) {
}
