package io.switchboard.state;

/**
 * The participant role a session belongs to. Fixed in code because the named guards ({@code customerEnded},
 * {@code agentsConnected}, ...) and the timings reason about these roles; the config only says which event
 * types open and close a session of which role.
 */
enum Role {
  CUSTOMER("customer"),
  /** A flow (IVR, bot, in-queue flow) session. */
  IVR("ivr"),
  ACD("acd"),
  AGENT("agent"),
  VOICEMAIL("voicemail");

  private static final Role[] ALL = values();

  final String label;

  Role(String label) {
    this.label = label;
  }

  /** The role named {@code label} in config, or {@code null}. */
  static Role byLabel(String label) {
    for (Role role : ALL) {
      if (role.label.equals(label)) {
        return role;
      }
    }
    return null;
  }

  static Role byOrdinal(int ordinal) {
    return ALL[ordinal];
  }

  static String labels() {
    StringBuilder out = new StringBuilder();
    for (Role role : ALL) {
      out.append(out.length() == 0 ? "" : ", ").append(role.label);
    }
    return out.toString();
  }
}
