package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import java.util.Arrays;

/**
 * The state stage's per-session facts, indexed like the {@link ConversationLifecycle}'s session table (so the
 * session ids are stored once): the owning participant and one time mark (the start while open, the end once
 * closed), enough for queue-wait, talk and after-call-work timings.
 */
final class Sessions {

  static final long UNKNOWN = Long.MIN_VALUE;

  private long[] marks = new long[0];
  /** Participant index + 1, unsigned; 0 = none known. */
  private byte[] participants = new byte[0];

  /** Makes room for {@code session} (new slots have no mark and no participant). */
  void ensure(int session) {
    if (session >= marks.length) {
      int capacity = Math.max(session + 1, session < 8 ? Math.max(2, 2 * session) : session + (session >> 1));
      int from = marks.length;
      marks = Arrays.copyOf(marks, capacity);
      participants = Arrays.copyOf(participants, capacity);
      Arrays.fill(marks, from, capacity, UNKNOWN);
    }
  }

  /** Slots allocated; slots never touched have no participant. */
  int capacity() {
    return marks.length;
  }

  /** The participant index, or -1. */
  int participant(int session) {
    return (participants[session] & 0xFF) - 1;
  }

  void participant(int session, int participant) {
    if (participant >= 0 && participant < 255) {
      participants[session] = (byte) (participant + 1);
    }
  }

  void writeTo(DataOutput out) throws IOException {
    SnapshotIo.writeLongs(out, marks, marks.length);
    SnapshotIo.writeBytes(out, participants);
  }

  void readFrom(DataInput in) throws IOException {
    marks = SnapshotIo.readLongs(in);
    participants = SnapshotIo.readBytes(in);
    if (participants == null || participants.length != marks.length) {
      throw new IOException("snapshot sessions do not line up");
    }
  }

  long mark(int session) {
    return marks[session];
  }

  void mark(int session, long time) {
    marks[session] = time;
  }
}
