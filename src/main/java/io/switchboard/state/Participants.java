package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * The participants of a conversation: id, purpose inferred from the event family that first named a role
 * for it, and the agent and queue it served, packed in one {@code int} each (role, agent index, queue index:
 * a byte apiece, indexes into the conversation's agent and queue columns, so at most 254 of each).
 */
final class Participants {

  static final int MAX = 254;

  private final CompactIds ids = new CompactIds();
  private int[] facts = new int[0];

  int size() {
    return ids.size();
  }

  /** Index of {@code participantId}, added if new (-1 once {@link #MAX} exist), its facts filled in. */
  void writeTo(DataOutput out) throws IOException {
    ids.writeTo(out);
    SnapshotIo.writeInts(out, facts, facts.length);
  }

  void readFrom(DataInput in) throws IOException {
    ids.readFrom(in);
    facts = SnapshotIo.readInts(in);
    if (facts.length < ids.size()) {
      throw new IOException("snapshot participants lack their facts");
    }
  }

  int touch(String participantId, Role role, int agent, int queue) {
    int i = ids.indexOf(participantId);
    if (i < 0) {
      if (ids.size() >= MAX) {
        return -1;
      }
      i = ids.add(participantId);
      if (i == facts.length) {
        facts = Arrays.copyOf(facts, i < 8 ? Math.max(2, 2 * i) : i + (i >> 1));
      }
    }
    int packed = facts[i];
    if (role != null && (packed & 0xFF) == 0) {
      packed |= role.ordinal() + 1;
    }
    if (agent >= 0 && agent < MAX && role == Role.AGENT) {
      packed = packed & ~0xFF00 | (agent + 1) << 8;
    }
    if (queue >= 0 && queue < MAX && (role == Role.AGENT || role == Role.ACD)) {
      packed = packed & ~0xFF0000 | (queue + 1) << 16;
    }
    facts[i] = packed;
    return i;
  }

  JsonArray toJson(CompactIds agentIds, CompactIds queueIds, ConversationLifecycle lifecycle, Sessions sessions) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < ids.size(); i++) {
      JsonArray own = new JsonArray();
      for (int s = 0; s < lifecycle.sessionCount() && s < sessions.capacity(); s++) {
        if (sessions.participant(s) == i) {
          own.add(lifecycle.sessionId(s));
        }
      }
      int role = (facts[i] & 0xFF) - 1;
      int agent = (facts[i] >>> 8 & 0xFF) - 1;
      int queue = (facts[i] >>> 16 & 0xFF) - 1;
      out.add(new JsonObject()
          .put("id", ids.get(i))
          .put("purpose", role < 0 ? "unknown" : Role.byOrdinal(role).label)
          .put("userId", agent < 0 ? null : agentIds.get(agent))
          .put("queueId", queue < 0 ? null : queueIds.get(queue))
          .put("sessions", own));
    }
    return out;
  }
}
