package io.switchboard.bench.jmh;

import java.nio.charset.StandardCharsets;

/**
 * Makes the n-th envelope id (lowercase, in canonical UUID form) and content fingerprint (32 hex chars) of a synthetic
 * event stream, so that a dedup window can be pre-filled with millions of events without keeping their strings,
 * and any of them can be named again later. The bits are a SplitMix64 scramble of n, as uniform as real UUIDs
 * and SHA-256 prefixes. {@link #republishedId} gives ids in a separate space: never an event's own id.
 */
public final class DedupKeyMaker {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final byte[] uuid = new byte[36];
  private final byte[] fingerprint = new byte[32];

  /** The envelope id of event {@code n}. */
  public String id(long n) {
    return uuid(mix(n * 4), mix(n * 4 + 1));
  }

  /** The fingerprint of event {@code n}. */
  public String fingerprint(long n) {
    hex(mix(n * 4 + 2), fingerprint, 0, 16);
    hex(mix(n * 4 + 3), fingerprint, 16, 16);
    return new String(fingerprint, StandardCharsets.ISO_8859_1);
  }

  /** A fresh envelope id for re-publishing event {@code n}'s content: no event ever has it as its own id. */
  public String republishedId(long n) {
    return uuid(mix(~n * 4), mix(~n * 4 + 1));
  }

  private String uuid(long msb, long lsb) {
    hex(msb >>> 32, uuid, 0, 8);
    uuid[8] = '-';
    hex(msb >>> 16, uuid, 9, 4);
    uuid[13] = '-';
    hex(msb, uuid, 14, 4);
    uuid[18] = '-';
    hex(lsb >>> 48, uuid, 19, 4);
    uuid[23] = '-';
    hex(lsb, uuid, 24, 12);
    return new String(uuid, StandardCharsets.ISO_8859_1);
  }

  /** The low {@code digits} hex digits of {@code value}, most significant first. */
  private static void hex(long value, byte[] out, int at, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      out[i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  /** SplitMix64's finaliser: a bijection, so distinct n never share bits. */
  private static long mix(long z) {
    z += 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
