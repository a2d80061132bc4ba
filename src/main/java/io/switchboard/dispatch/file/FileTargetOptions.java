package io.switchboard.dispatch.file;

import io.switchboard.config.ConfigNode;
import io.switchboard.config.TargetConfig;

import java.util.Set;

/**
 * Options of a {@code file} target: JSON lines appended to {@code path}.
 *
 * @param flushEvents  lines buffered before a write is issued
 * @param flushMillis  longest a line waits in the buffer
 * @param fsync        force each flushed batch to disk (an audit log wants it)
 */
public record FileTargetOptions(String path, int flushEvents, long flushMillis, boolean fsync) {

  public static FileTargetOptions from(ConfigNode node) {
    node.allowOnly(TargetConfig.keysWith(Set.of("path", "flushEvents", "flushMs", "fsync")));
    return new FileTargetOptions(
        node.requiredString("path"),
        node.intValue("flushEvents", 256, 1, 1_000_000),
        node.longValue("flushMs", 20, 1, 60_000),
        node.bool("fsync", false));
  }
}
