package io.switchboard.bench;

import java.util.Map;

/**
 * One periodic look at the run: what each sink target had accepted and what the server's meters said.
 *
 * @param at     epoch ms
 * @param sink   distinct events accepted per sink target
 * @param server the {@code /metrics} scrape; {@link ServerMetrics#EMPTY} when it failed
 */
record Sample(long at, Map<String, Integer> sink, ServerMetrics server) {

  int accepted(String target) {
    return sink.getOrDefault(target, 0);
  }
}
