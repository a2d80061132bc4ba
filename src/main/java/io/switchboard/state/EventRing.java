package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.switchboard.message.DeadLetter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;

/**
 * The last N applied events of a conversation as packed summaries, 28 bytes each: event time, envelope id
 * (two {@code long}s), and one {@code int} holding the event type's index in the definition, the state
 * after, the session index and the late/out-of-band/violation flags. Grows from 4 slots up to N, then overwrites
 * the oldest.
 */
final class EventRing {

  static final int LATE = 1;
  static final int OUT_OF_BAND = 2;
  /** Delivered flagged, with one of these lifecycle violations (two bits: the reason is all a summary needs). */
  static final int INVALID_TRANSITION = 4;
  static final int STAGE_CAP_EXCEEDED = 8;

  private final int capacity;
  private long[] times = new long[0];
  private final CompactIds eventIds = new CompactIds();
  private int[] packed = new int[0];
  /** Names of event types unknown to the definition, by slot; allocated on the first one. */
  private String[] otherTypes;
  private int next;
  private int size;

  EventRing(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1");
    }
    this.capacity = capacity;
  }

  /**
   * @param type    {@link LifecycleDefinition#typeIndex} of the event type, or -1 with {@code typeName} set
   * @param session index into the conversation's sessions, or -1
   */
  void add(long time, String eventId, int type, String typeName, int state, int session, int flags) {
    if (size < capacity && size == times.length) {
      int grown = Math.min(capacity, Math.max(4, 2 * size));
      times = Arrays.copyOf(times, grown);
      packed = Arrays.copyOf(packed, grown);
      eventIds.reserve(grown);
      if (otherTypes != null) {
        otherTypes = Arrays.copyOf(otherTypes, grown);
      }
    }
    int slot = size < capacity ? size : next;
    times[slot] = time;
    if (slot == eventIds.size()) {
      eventIds.add(eventId);
    } else {
      eventIds.set(slot, eventId);
    }
    // type+1 and session+1 in one byte each (0 = none); sessions beyond 254 are summarised without an id.
    packed[slot] = (type + 1) & 0xFF | (state & 0xFF) << 8 | (session >= 0 && session < 255 ? session + 1 : 0) << 16
        | (flags & 0xFF) << 24;
    if (type < 0 || otherTypes != null) {
      if (otherTypes == null) {
        otherTypes = new String[times.length];
      }
      otherTypes[slot] = type < 0 ? typeName : null;
    }
    next = (slot + 1) % capacity;
    size = Math.min(size + 1, capacity);
  }

  /** Whether one of the remembered events has this envelope id. */
  boolean contains(String eventId) {
    return eventId != null && eventIds.indexOf(eventId) >= 0;
  }

  /**
   * The key an event is remembered by: its envelope id, or, for a notification message (WebSocket, polling), which
   * has none, its content fingerprint, so that a replay after a crash is recognised as already applied either way.
   */
  static String keyOf(String eventId, String fingerprint) {
    return eventId != null ? eventId : FINGERPRINT_PREFIX + fingerprint;
  }

  /** What {@code lastEvents} shows as the event's id: none for an event known by its fingerprint only. */
  private static String shownId(String key) {
    return key != null && key.startsWith(FINGERPRINT_PREFIX) ? null : key;
  }

  private static final String FINGERPRINT_PREFIX = "fp:";

  void writeTo(DataOutput out) throws IOException {
    out.writeInt(capacity);
    out.writeInt(next);
    out.writeInt(size);
    SnapshotIo.writeLongs(out, times, times.length);
    SnapshotIo.writeInts(out, packed, packed.length);
    eventIds.writeTo(out);
    SnapshotIo.writeStrings(out, otherTypes);
  }

  /** Restores what {@link #writeTo} wrote; a ring written under another capacity starts empty instead. */
  void readFrom(DataInput in) throws IOException {
    int writtenCapacity = in.readInt();
    int writtenNext = in.readInt();
    int writtenSize = in.readInt();
    long[] writtenTimes = SnapshotIo.readLongs(in);
    int[] writtenPacked = SnapshotIo.readInts(in);
    CompactIds writtenIds = new CompactIds();
    writtenIds.readFrom(in);
    String[] writtenOthers = SnapshotIo.readStrings(in);
    if (writtenCapacity != capacity) {
      return;
    }
    if (writtenSize > capacity || writtenPacked.length != writtenTimes.length || writtenSize > writtenTimes.length
        || writtenIds.size() < writtenSize) {
      throw new IOException("snapshot event ring does not line up");
    }
    next = writtenNext;
    size = writtenSize;
    times = writtenTimes;
    packed = writtenPacked;
    otherTypes = writtenOthers;
    eventIds.reserve(times.length);
    for (int i = 0; i < writtenIds.size(); i++) {
      eventIds.add(writtenIds.get(i));
    }
  }

  /** The flag naming a flagged violation's reason. */
  static int violation(DeadLetter.Reason reason) {
    return reason == DeadLetter.Reason.STAGE_CAP_EXCEEDED ? STAGE_CAP_EXCEEDED : INVALID_TRANSITION;
  }

  int size() {
    return size;
  }

  /** The most recent {@code lastN} summaries, oldest first. */
  JsonArray toJson(int lastN, LifecycleDefinition definition, ConversationLifecycle sessions) {
    JsonArray out = new JsonArray();
    int count = Math.min(Math.max(lastN, 0), size);
    int oldest = size < capacity ? 0 : next;
    for (int k = size - count; k < size; k++) {
      int slot = (oldest + k) % capacity;
      int bits = packed[slot];
      int type = (bits & 0xFF) - 1;
      int session = (bits >>> 16 & 0xFF) - 1;
      int flags = bits >>> 24;
      out.add(new JsonObject()
          .put("type", type >= 0 ? definition.typeName(type) : otherTypes[slot])
          .put("eventTime", times[slot])
          .put("eventId", shownId(eventIds.get(slot)))
          .put("sessionId", session >= 0 ? sessions.sessionId(session) : null)
          .put("state", definition.stateName(bits >>> 8 & 0xFF))
          .put("late", (flags & LATE) != 0)
          .put("outOfBand", (flags & OUT_OF_BAND) != 0)
          .put("violation", (flags & STAGE_CAP_EXCEEDED) != 0 ? DeadLetter.Reason.STAGE_CAP_EXCEEDED.code()
              : (flags & INVALID_TRANSITION) != 0 ? DeadLetter.Reason.INVALID_TRANSITION.code() : null));
    }
    return out;
  }
}
