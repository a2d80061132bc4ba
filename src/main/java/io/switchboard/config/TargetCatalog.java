package io.switchboard.config;

import java.util.Set;

/**
 * The target types a configuration may name, as far as config needs to know them. The registry of types lives in
 * {@code dispatch}, which builds on config; it is handed to {@link SwitchboardConfig#fromJson} so that config still
 * validates every target once, at start, without importing what it configures.
 */
public interface TargetCatalog {

  /** The names {@code targets[].type} accepts. */
  Set<String> typeNames();

  /** {@code queue.maxInFlight} of a target of {@code type} that does not set it. */
  int defaultMaxInFlight(String type);

  /**
   * Checks what the common settings leave open: the type's own options, the filter and the retry policy.
   *
   * @throws ConfigException naming the JSON path at fault
   */
  void check(TargetConfig target);
}
