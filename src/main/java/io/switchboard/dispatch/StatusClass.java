package io.switchboard.dispatch;

import java.util.Locale;
import java.util.Optional;

/** What a target's answer means for the event: delivered, worth another try, or never deliverable as sent. */
public enum StatusClass {
  SUCCESS,
  RETRY,
  DEADLETTER;

  /** The config spelling: {@code success}, {@code retry}, {@code deadletter}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<StatusClass> fromConfigName(String name) {
    for (StatusClass c : values()) {
      if (c.configName().equals(name)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
