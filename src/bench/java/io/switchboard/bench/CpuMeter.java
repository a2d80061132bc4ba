package io.switchboard.bench;

import java.time.Duration;
import java.util.Optional;

/**
 * CPU time used since the meter was made, by this process and optionally by the server's: on a shared box it is
 * the quickest way to tell whether the server or the generator is the bottleneck.
 */
final class CpuMeter {

  private final Optional<ProcessHandle> server;
  private final long generatorStart;
  private final long serverStart;

  /** @param serverPid the server's process id; negative for none */
  CpuMeter(long serverPid) {
    this.server = serverPid < 0 ? Optional.empty() : ProcessHandle.of(serverPid);
    this.generatorStart = total(Optional.of(ProcessHandle.current()));
    this.serverStart = total(server);
  }

  boolean measuresServer() {
    return server.isPresent() && serverStart >= 0;
  }

  long generatorMillis() {
    return total(Optional.of(ProcessHandle.current())) - generatorStart;
  }

  /** Meaningful only if {@link #measuresServer()}. */
  long serverMillis() {
    return total(server) - serverStart;
  }

  /** Total CPU time of a process so far; -1 where the platform does not say. */
  private static long total(Optional<ProcessHandle> process) {
    return process.flatMap(p -> p.info().totalCpuDuration()).map(Duration::toMillis).orElse(-1L);
  }
}
