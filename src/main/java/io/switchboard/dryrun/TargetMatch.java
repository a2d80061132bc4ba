package io.switchboard.dryrun;

import java.util.Objects;

/**
 * One target that would receive an event, as the state stage matched every target's filter.
 *
 * @param targetId the target's {@code id}
 * @param pattern  the name of its filter pattern that selected the event ({@code *} when it has no filter)
 * @param error    why its dispatcher would dead-letter the event instead ({@code internal_error}: the filter could not
 *                 read it), else {@code null}
 */
public record TargetMatch(String targetId, String pattern, String error) {

  public TargetMatch {
    Objects.requireNonNull(targetId, "targetId");
  }
}
