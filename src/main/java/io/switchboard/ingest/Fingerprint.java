package io.switchboard.ingest;

import io.vertx.core.json.JsonObject;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The content fingerprint of an event: lowercase hex of the first 16 bytes of SHA-256 over the UTF-8 of
 * {@code topicName + "\n" + canonical(eventBody)}.
 *
 * <p>It is the dedup key for what the envelope id cannot catch: an event re-published by its producer gets
 * a new EventBridge id, and WebSocket messages carry no id at all. The canonical form makes key order,
 * whitespace and {@code 1} versus {@code 1.0} irrelevant.
 *
 * <p>On the hot path, so the canonical bytes stream straight into a per-thread digest through a per-thread
 * buffer: the only allocations per call are the sorted key arrays and the result string.
 */
public final class Fingerprint {

  /** Length of the returned hex string (16 digest bytes). */
  public static final int HEX_LENGTH = 32;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private static final ThreadLocal<State> STATE = ThreadLocal.withInitial(State::new);

  private Fingerprint() {
  }

  /**
   * Fingerprints one event.
   *
   * @throws IllegalArgumentException if the body holds a value that is not JSON (not possible for a parsed body)
   */
  public static String of(String topicName, JsonObject eventBody) {
    Objects.requireNonNull(topicName, "topicName");
    Objects.requireNonNull(eventBody, "eventBody");
    State state = STATE.get();
    state.digest.reset();
    CanonicalJson.Writer writer = state.writer;
    writer.reset();
    writer.raw(topicName);
    writer.rawByte('\n');
    writer.value(eventBody);
    writer.flush();
    try {
      state.digest.digest(state.out, 0, state.out.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest did not fit 32 bytes", e);
    }
    char[] hex = new char[HEX_LENGTH];
    for (int i = 0; i < HEX_LENGTH / 2; i++) {
      hex[2 * i] = HEX[(state.out[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[state.out[i] & 0xf];
    }
    return new String(hex);
  }

  /** One digest, encoding buffer and output array per thread; calls never nest, so reuse is safe. */
  private static final class State {
    final MessageDigest digest;
    final CanonicalJson.Writer writer;
    final byte[] out = new byte[32];

    State() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
      writer = new CanonicalJson.Writer(digest::update);
    }
  }
}
