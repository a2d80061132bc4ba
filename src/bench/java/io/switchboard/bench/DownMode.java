package io.switchboard.bench;

import java.util.Locale;

/** How a sink target behaves while it is down. */
public enum DownMode {
  /** The port stays open and every request gets {@code 503 Service Unavailable}: an overloaded or failing app. */
  UNAVAILABLE("503"),
  /** The port is closed, so connections are refused: the process or its host is gone. */
  REFUSE("refuse");

  private final String label;

  DownMode(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** @throws IllegalArgumentException unless {@code text} is {@code 503} or {@code refuse} */
  public static DownMode parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    for (DownMode mode : values()) {
      if (mode.label.equals(value)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("down mode must be 503 or refuse, got " + text);
  }
}
