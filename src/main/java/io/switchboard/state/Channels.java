package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.vertx.core.json.JsonArray;

import java.util.Arrays;
import java.util.Locale;

/**
 * Media types seen in a conversation: the Genesys enum as bits of one {@code int}; values Genesys adds later
 * are kept as strings (enums grow, and unknown values must be kept, not rejected). Reported lower case.
 */
final class Channels {

  private static final String[] KNOWN = {
      "VOICE", "CHAT", "EMAIL", "CALLBACK", "MESSAGE", "COBROWSE", "VIDEO", "SCREENSHARE", "INTERNALMESSAGE",
      "SCREENMONITORING", "UNKNOWN"};
  /** Bound on distinct unknown values kept, against a stream of garbage media types. */
  private static final int MAX_OTHERS = 8;

  private int known;
  private String[] others;

  void add(String mediaType) {
    if (mediaType == null || mediaType.isEmpty()) {
      return;
    }
    for (int i = 0; i < KNOWN.length; i++) {
      if (KNOWN[i].equals(mediaType)) {
        known |= 1 << i;
        return;
      }
    }
    String name = mediaType.toLowerCase(Locale.ROOT);
    if (others == null) {
      others = new String[] {name};
    } else if (!Arrays.asList(others).contains(name) && others.length < MAX_OTHERS) {
      others = Arrays.copyOf(others, others.length + 1);
      others[others.length - 1] = name;
    }
  }

  void writeTo(DataOutput out) throws IOException {
    out.writeInt(known);
    SnapshotIo.writeStrings(out, others);
  }

  void readFrom(DataInput in) throws IOException {
    known = in.readInt();
    others = SnapshotIo.readStrings(in);
  }

  JsonArray toJson() {
    JsonArray out = new JsonArray();
    for (int i = 0; i < KNOWN.length; i++) {
      if ((known & 1 << i) != 0) {
        out.add(KNOWN[i].toLowerCase(Locale.ROOT));
      }
    }
    if (others != null) {
      for (String other : others) {
        out.add(other);
      }
    }
    return out;
  }
}
