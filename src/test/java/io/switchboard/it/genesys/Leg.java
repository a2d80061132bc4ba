package io.switchboard.it.genesys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One participant of a modelled voice call with its single call session: ids, the times it started, connected and
 * ended (epoch ms, -1 until they happen), how it disconnected (in the conversation topics' lower-case spelling),
 * and for the agent the after-call work. Mutable, owned by its {@link VoiceConversation} on the emulator's context.
 */
final class Leg {

  final String purpose;
  final String participantId = UUID.randomUUID().toString();
  final String sessionId = UUID.randomUUID().toString();
  final Map<String, String> attributes = new LinkedHashMap<>();
  long start = -1;
  long connected = -1;
  long end = -1;
  String disconnectType;
  long acwStart = -1;
  long acwEnd = -1;
  String wrapupCode;
  String wrapupName;
  String wrapupNotes;

  Leg(String purpose) {
    this.purpose = Objects.requireNonNull(purpose);
  }

  boolean started() {
    return start >= 0;
  }

  boolean isConnected() {
    return connected >= 0;
  }

  boolean ended() {
    return end >= 0;
  }

  boolean active() {
    return started() && !ended();
  }
}
