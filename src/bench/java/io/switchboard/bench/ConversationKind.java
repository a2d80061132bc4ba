package io.switchboard.bench;

/** The conversation shapes the generator produces, each modelled on the shipped samples. */
public enum ConversationKind {

  /** Inbound call through an IVR flow into a queue, answered, customer hangs up, agent wraps up (eb-voice-*). */
  VOICE("voice"),
  /** Web message answered by one agent who books a callback that a second agent makes (eb-multi-*). */
  MESSAGING_CALLBACK("messaging"),
  /** Inbound call that reaches a queue and hangs up before an agent answers. */
  ABANDON("abandon");

  private final String label;

  ConversationKind(String label) {
    this.label = label;
  }

  /** Lower-case name used in reports. */
  public String label() {
    return label;
  }
}
