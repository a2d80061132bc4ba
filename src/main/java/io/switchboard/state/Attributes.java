package io.switchboard.state;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last value of each conversation attribute, kept as one length-prefixed UTF-8 byte array (a few
 * attributes cost ~100 bytes instead of ~60 per {@link String}) and bounded: attributes that do not fit in
 * {@code maxBytes} are counted, not stored. Genesys allows large attribute maps (the oversized sample is
 * 335 KB); the full payload still reaches every target, only the conversation's view is bounded.
 */
final class Attributes {

  private byte[] encoded;
  private int dropped;

  /** Merges an {@code attributes} map: later values win, {@code null} removes. */
  void merge(JsonObject update, int maxBytes) {
    Map<String, String> merged = decode();
    for (Map.Entry<String, Object> entry : update) {
      if (entry.getValue() == null) {
        merged.remove(entry.getKey());
      } else {
        merged.put(entry.getKey(), String.valueOf(entry.getValue()));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Map.Entry<String, String> entry : merged.entrySet()) {
      byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
      byte[] value = entry.getValue().getBytes(StandardCharsets.UTF_8);
      if (out.size() + key.length + value.length + 10 > maxBytes) {
        dropped++;
        continue;
      }
      write(out, key);
      write(out, value);
    }
    encoded = out.size() == 0 ? null : out.toByteArray();
  }

  void writeTo(DataOutput out) throws IOException {
    SnapshotIo.writeBytes(out, encoded);
    out.writeInt(dropped);
  }

  void readFrom(DataInput in) throws IOException {
    encoded = SnapshotIo.readBytes(in);
    dropped = in.readInt();
  }

  /** Attribute values not stored because of the bound, over the conversation's life. */
  int dropped() {
    return dropped;
  }

  JsonObject toJson() {
    JsonObject out = new JsonObject();
    decode().forEach(out::put);
    return out;
  }

  private Map<String, String> decode() {
    Map<String, String> out = new LinkedHashMap<>();
    int[] at = {0};
    while (encoded != null && at[0] < encoded.length) {
      String key = read(at);
      out.put(key, read(at));
    }
    return out;
  }

  private static void write(ByteArrayOutputStream out, byte[] bytes) {
    int length = bytes.length;
    while (length >= 0x80) {
      out.write(length & 0x7F | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.write(bytes, 0, bytes.length);
  }

  private String read(int[] at) {
    int length = 0;
    int shift = 0;
    int b;
    do {
      b = encoded[at[0]++];
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    String value = new String(encoded, at[0], length, StandardCharsets.UTF_8);
    at[0] += length;
    return value;
  }
}
